import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { hasRole, type StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { MediaRepository } from '../media/media.repository.js';
import type { Profile } from '../profiles/profile.entity.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { Audience } from '../common/audience.js';
import type { Protocol } from '../common/protocol.js';
import { Outbox, type OutboxReceipt } from '../outbox/outbox.js';
import type { OutboxMessage } from '../outbox/outbox-message.js';
import { textLengthProblem } from './post-limits.js';
import type { CreatePostDto, PostContentDto, RequestableStatus } from './post.dto.js';
import type { Post, PostStatus } from './post.entity.js';
import type { Publication } from './publication.entity.js';
import { PublicationsRepository, type PublicationTicket } from './publications.repository.js';
import { PostsRepository } from './posts.repository.js';
import type { PostRevision, RevisionContent } from './post-revision.entity.js';
import { PostRevisionsRepository } from './post-revisions.repository.js';

export interface PostWithPublications extends Post {
  publications: Publication[];
  /** An edit waiting for an approver; the post's own fields are what is live. */
  pendingRevision: PostRevision | null;
}

export interface PostPage {
  items: PostWithPublications[];
  nextCursor: string | null;
}

/** The inbox interaction a post answers: it decides the one network the answer goes to. */
export interface AnswerTarget {
  id: string;
  profileId: string;
  protocol: Protocol;
  /** Who the interaction was addressed to: the answer is addressed no wider. */
  audience: Audience;
}

/** What must happen once a transaction has committed: written to the outbox inside it. */
interface AfterCommit {
  tickets: PublicationTicket[];
  schedule?: Date;
}

@Injectable()
export class PostsService {
  constructor(
    private readonly posts: PostsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly media: MediaRepository,
    private readonly publications: PublicationsRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditRepository,
    private readonly revisions: PostRevisionsRepository,
  ) {}

  async get(id: string): Promise<PostWithPublications> {
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundError('Post', id);
    const [publications, pendingRevision] = await Promise.all([this.publications.listByPost(id), this.revisions.findPending(id)]);
    return { ...post, publications, pendingRevision };
  }

  async list(profileId: string, query: { status?: PostStatus; limit?: number; cursor?: string }): Promise<PostPage> {
    if (!(await this.profiles.findById(profileId))) throw new NotFoundError('Profile', profileId);
    const limit = query.limit ?? 20;
    const posts = await this.posts.page({
      profileId,
      status: query.status,
      limit: limit + 1,
      after: query.cursor ? decodeKeysetCursor(query.cursor) : undefined,
    });
    const page = posts.slice(0, limit);
    const ids = page.map((post) => post.id);
    const [publications, revisions] = await Promise.all([this.publications.listByPosts(ids), this.revisions.listPending(ids)]);
    return {
      items: page.map((post) => ({
        ...post,
        publications: publications.filter((publication) => publication.postId === post.id),
        pendingRevision: revisions.find((revision) => revision.postId === post.id) ?? null,
      })),
      nextCursor: posts.length > limit ? encodeKeysetCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null,
    };
  }

  /**
   * `answer` makes the post a reply to an inbox interaction: it goes out only on
   * that interaction's protocol, and moderators may publish it (see assertMayRelease).
   */
  async create(
    profileId: string,
    input: CreatePostDto,
    actor: StaffPrincipal,
    answer?: { replyTo: AnswerTarget },
  ): Promise<PostWithPublications> {
    const status = input.status ?? 'draft';
    const replyTo = answer?.replyTo ?? null;
    const { post, receipt } = await this.posts.transaction(async (manager) => {
      const profile = await this.profiles.findById(profileId, manager);
      if (!profile) throw new NotFoundError('Profile', profileId);
      await this.assertContent(profile, input.kind, input, manager);
      if (input.threadParentId) await this.assertThreadParent(profile, input.threadParentId, manager);
      if (replyTo) this.assertAnswerable(profile, replyTo);
      this.assertMayRelease(profile, status, actor, Boolean(replyTo));
      const scheduledAt = this.scheduleFor(status, input.scheduledAt);
      const now = new Date();
      const post = await this.posts.insert(
        {
          profileId,
          kind: input.kind,
          text: input.text,
          title: input.title ?? null,
          summary: input.summary ?? null,
          language: input.language ?? null,
          contentWarning: input.contentWarning ?? null,
          attachments: input.attachments ?? [],
          threadParentId: input.threadParentId ?? null,
          replyToInteractionId: replyTo?.id ?? null,
          audience: replyTo?.audience ?? 'public',
          status,
          scheduledAt,
          publishedAt: status === 'published' ? now : null,
          createdBy: actor.id,
        },
        manager,
      );
      const dueAt = status === 'published' ? now : status === 'scheduled' ? scheduledAt : null;
      const tickets = await this.publications.insertForPost(post.id, replyTo ? [replyTo.protocol] : profile.protocols, dueAt, manager);
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'post.create',
          subjectType: 'post',
          subjectId: post.id,
          details: { status, kind: post.kind, replyToInteractionId: replyTo?.id, audience: post.audience },
        },
        manager,
      );
      const after = { tickets: status === 'published' ? tickets : [], schedule: scheduledAt ?? undefined };
      return { post, receipt: await this.followUp(post.id, after, manager) };
    });
    this.outbox.flush(receipt);
    return this.get(post.id);
  }

  /**
   * Edits a post. A published post's edit goes out as an edit on every network, except where
   * the profile requires approval and the editor may not release on their own: then it waits as
   * the post's pending revision and the live post stays as it is until an approver decides.
   */
  async update(id: string, input: PostContentDto, actor: StaffPrincipal): Promise<PostWithPublications> {
    // A validated DTO carries every field it declares, undefined when not sent: those must not blank the post's.
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as PostContentDto;
    const receipt = await this.posts.transaction(async (manager) => {
      const { post, profile } = await this.lockPost(id, manager);
      if (post.status === 'deleted') throw new ConflictError('A deleted post cannot be edited');
      if (changes.scheduledAt !== undefined && post.status !== 'scheduled') {
        throw new InvalidInputError('scheduledAt: only a scheduled post can be rescheduled; use /publish to schedule', 'scheduledAt');
      }
      if (post.status === 'published' && this.needsSignOff(profile, actor)) {
        await this.proposeRevision(post, profile, changes, actor, manager);
        return null;
      }
      await this.assertContent(profile, post.kind, { ...post, ...changes }, manager);
      const scheduledAt =
        post.status === 'scheduled' && changes.scheduledAt ? this.scheduleFor('scheduled', changes.scheduledAt) : post.scheduledAt;
      await this.posts.update(id, { ...changes, scheduledAt }, manager);
      let tickets: PublicationTicket[] = [];
      let replacedRevision: string | null = null;
      if (post.status === 'published') {
        tickets = await this.publications.requestUpdate(id, manager);
        // Someone who may release edited the post: a pending edit is out of date (they started from it in the console).
        replacedRevision = await this.revisions.closePending(id, 'replaced', actor.id, manager);
      }
      if (post.status === 'scheduled' && scheduledAt?.getTime() !== post.scheduledAt?.getTime()) {
        await this.publications.setDue(id, scheduledAt, manager);
      }
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'post.update',
          subjectType: 'post',
          subjectId: id,
          details: { fields: Object.keys(changes), ...(replacedRevision ? { replacedRevision } : {}) },
        },
        manager,
      );
      const schedule = post.status === 'scheduled' ? (scheduledAt ?? undefined) : undefined;
      return this.followUp(id, { tickets, schedule }, manager);
    });
    this.outbox.flush(receipt);
    return this.get(id);
  }

  /** The edits proposed for a post, newest first (pending, approved, rejected, replaced). */
  async revisionsOf(id: string): Promise<PostRevision[]> {
    if (!(await this.posts.findById(id))) throw new NotFoundError('Post', id);
    return this.revisions.listByPost(id);
  }

  /** An approver signs off a pending edit: the post takes its content and the edit goes out on every network. */
  async approveRevision(postId: string, revisionId: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    const receipt = await this.posts.transaction(async (manager) => {
      const { post, profile, revision } = await this.lockRevision(postId, revisionId, actor, 'approved', manager);
      await this.assertContent(profile, post.kind, revision.content, manager);
      await this.posts.update(postId, { ...revision.content }, manager);
      const tickets = await this.publications.requestUpdate(postId, manager);
      await this.revisions.closePending(postId, 'approved', actor.id, manager);
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'post.revision_approve',
          subjectType: 'post',
          subjectId: postId,
          details: { revisionId, proposedBy: revision.proposedBy },
        },
        manager,
      );
      return this.followUp(postId, { tickets }, manager);
    });
    this.outbox.flush(receipt);
    return this.get(postId);
  }

  /** An approver refuses a pending edit: it is kept, as rejected, and the post stays as it is. */
  async rejectRevision(postId: string, revisionId: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    await this.posts.transaction(async (manager) => {
      const { revision } = await this.lockRevision(postId, revisionId, actor, 'rejected', manager);
      await this.revisions.closePending(postId, 'rejected', actor.id, manager);
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'post.revision_reject',
          subjectType: 'post',
          subjectId: postId,
          details: { revisionId, proposedBy: revision.proposedBy },
        },
        manager,
      );
    });
    return this.get(postId);
  }

  /** draft → in_review. */
  async submit(id: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.submit', async (post) => {
      this.assertStatus(post, ['draft'], 'submitted for review');
      return { changes: { status: 'in_review' } };
    });
  }

  /** in_review → published (or scheduled, if it has a future time). */
  async approve(id: string, actor: StaffPrincipal, scheduledAt?: Date): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.approve', async (post, _profile, manager) => {
      this.assertStatus(post, ['in_review'], 'approved');
      return this.release(post, scheduledAt ?? post.scheduledAt ?? undefined, manager, { approvedBy: actor.id });
    });
  }

  /** in_review → draft, with the approver's reason in the audit log. */
  async reject(id: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.reject', async (post) => {
      this.assertStatus(post, ['in_review'], 'sent back');
      return { changes: { status: 'draft' } };
    });
  }

  /** draft → published now or scheduled; needs an approver where the profile requires approval. */
  async publish(id: string, actor: StaffPrincipal, scheduledAt?: Date): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.publish', async (post, profile, manager) => {
      this.assertStatus(post, ['draft', 'in_review'], 'published');
      this.assertMayRelease(profile, scheduledAt ? 'scheduled' : 'published', actor);
      return this.release(post, scheduledAt, manager, post.status === 'in_review' ? { approvedBy: actor.id } : {});
    });
  }

  /** scheduled → draft. */
  async unschedule(id: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.unschedule', async (post, _profile, manager) => {
      this.assertStatus(post, ['scheduled'], 'unscheduled');
      await this.publications.setDue(post.id, null, manager);
      return { changes: { status: 'draft', scheduledAt: null } };
    });
  }

  async delete(id: string, actor: StaffPrincipal): Promise<PostWithPublications> {
    return this.transition(id, actor, 'post.delete', async (post, _profile, manager) => {
      if (post.status === 'deleted') return { changes: {} };
      const tickets = await this.publications.requestRetract(post.id, manager);
      await this.revisions.closePending(post.id, 'discarded', actor.id, manager);
      return { changes: { status: 'deleted', deletedAt: new Date() }, after: { tickets } };
    });
  }

  /**
   * Failed publications (all, or on one network) go out again: reset to pending and
   * handed to the outbox in one transaction, like any other publication work.
   */
  async retry(id: string, actor: StaffPrincipal, protocol?: Protocol): Promise<PostWithPublications> {
    const receipt = await this.posts.transaction(async (manager) => {
      await this.lockPost(id, manager);
      const tickets = await this.publications.requestRetry(id, protocol ? [protocol] : null, manager);
      if (tickets.length === 0) {
        throw new ConflictError(`Nothing to retry: no publication of this post has failed${protocol ? ` on ${protocol}` : ''}`, 'protocol');
      }
      await this.audit.insert(
        { actorId: actor.id, action: 'post.retry', subjectType: 'post', subjectId: id, details: { protocol: protocol ?? 'all' } },
        manager,
      );
      return this.followUp(id, { tickets }, manager);
    });
    this.outbox.flush(receipt);
    return this.get(id);
  }

  /**
   * Publishes a scheduled post whose time has come. Called by its delayed job and by the sweep;
   * a second call, or one for a post that was unscheduled or rescheduled later, does nothing.
   */
  async publishDue(id: string): Promise<boolean> {
    const receipt = await this.posts.transaction(async (manager) => {
      const post = await this.posts.findForUpdate(id, manager);
      if (!post || post.status !== 'scheduled' || !post.scheduledAt || post.scheduledAt.getTime() > Date.now()) return null;
      const now = new Date();
      await this.posts.update(id, { status: 'published', publishedAt: now }, manager);
      const tickets = await this.publications.setDue(id, now, manager);
      await this.audit.insert({ actorId: null, action: 'post.publish_scheduled', subjectType: 'post', subjectId: id }, manager);
      return this.followUp(id, { tickets }, manager);
    });
    if (!receipt) return false;
    this.outbox.flush(receipt);
    return true;
  }

  private async transition(
    id: string,
    actor: StaffPrincipal,
    action: string,
    decide: (post: Post, profile: Profile, manager: EntityManager) => Promise<{ changes: Partial<Post>; after?: AfterCommit }>,
  ): Promise<PostWithPublications> {
    const receipt = await this.posts.transaction(async (manager) => {
      const { post, profile } = await this.lockPost(id, manager);
      const { changes, after } = await decide(post, profile, manager);
      if (Object.keys(changes).length === 0) return this.followUp(id, after, manager);
      await this.posts.update(id, changes, manager);
      await this.audit.insert(
        { actorId: actor.id, action, subjectType: 'post', subjectId: id, details: { from: post.status, to: changes.status } },
        manager,
      );
      return this.followUp(id, after, manager);
    });
    this.outbox.flush(receipt);
    return this.get(id);
  }

  private async release(post: Post, scheduledAt: Date | undefined, manager: EntityManager, extra: Partial<Post>) {
    const when = scheduledAt && scheduledAt.getTime() > Date.now() ? this.scheduleFor('scheduled', scheduledAt) : null;
    const now = new Date();
    const tickets = await this.publications.setDue(post.id, when ?? now, manager);
    const changes: Partial<Post> = when
      ? { ...extra, status: 'scheduled', scheduledAt: when }
      : { ...extra, status: 'published', publishedAt: now, scheduledAt: null };
    return { changes, after: when ? { tickets: [], schedule: when } : { tickets } };
  }

  /** Publications to carry out and the scheduled release, as outbox work in the same transaction. */
  private async followUp(postId: string, after: AfterCommit | undefined, manager: EntityManager): Promise<OutboxReceipt | null> {
    if (!after) return null;
    const work: OutboxMessage[] = after.tickets.map((ticket) => ({
      kind: 'publication',
      payload: { publicationId: ticket.id, revision: ticket.revision },
      availableAt: ticket.dueAt,
    }));
    if (after.schedule) work.push({ kind: 'scheduled-post', payload: { postId }, availableAt: after.schedule });
    return this.outbox.write(work, manager);
  }

  private async lockPost(id: string, manager: EntityManager): Promise<{ post: Post; profile: Profile }> {
    const post = await this.posts.findForUpdate(id, manager);
    if (!post) throw new NotFoundError('Post', id);
    const profile = await this.profiles.findById(post.profileId, manager);
    if (!profile) throw new NotFoundError('Profile', post.profileId);
    return { post, profile };
  }

  /**
   * Stores an edit of a published post for sign-off. A second edit while one is pending replaces it,
   * starting from it (fields not sent keep the pending edit's values): the console opens the pending
   * edit in the composer, so the newest proposal always contains the earlier one and nothing is lost.
   */
  private async proposeRevision(
    post: Post,
    profile: Profile,
    changes: PostContentDto,
    actor: StaffPrincipal,
    manager: EntityManager,
  ): Promise<PostRevision> {
    const pending = await this.revisions.findPending(post.id, manager);
    const base: RevisionContent = pending?.content ?? contentOf(post);
    const { scheduledAt: _ignored, ...fields } = changes;
    const content: RevisionContent = { ...base, ...fields };
    await this.assertContent(profile, post.kind, content, manager);
    const replaced = await this.revisions.closePending(post.id, 'replaced', actor.id, manager);
    const revision = await this.revisions.insert(post.id, content, actor.id, manager);
    await this.audit.insert(
      {
        actorId: actor.id,
        action: 'post.revision_propose',
        subjectType: 'post',
        subjectId: post.id,
        details: { revisionId: revision.id, fields: Object.keys(fields), ...(replaced ? { replacedRevision: replaced } : {}) },
      },
      manager,
    );
    return revision;
  }

  private async lockRevision(
    postId: string,
    revisionId: string,
    actor: StaffPrincipal,
    verb: 'approved' | 'rejected',
    manager: EntityManager,
  ): Promise<{ post: Post; profile: Profile; revision: PostRevision }> {
    if (!hasRole(actor, 'approver')) throw new ForbiddenError('Only approvers can approve or reject an edit');
    const { post, profile } = await this.lockPost(postId, manager);
    const revision = await this.revisions.findById(revisionId, manager);
    if (!revision || revision.postId !== postId) throw new NotFoundError('Revision', revisionId);
    if (revision.state !== 'pending') {
      const why = revision.state === 'replaced' ? 'a newer edit replaced it' : `it was already ${revision.state}`;
      throw new ConflictError(`This edit cannot be ${verb}: ${why}`, 'state');
    }
    return { post, profile, revision };
  }

  /** Whether a published post's edit by this person waits for an approver (the rule of assertMayRelease). */
  private needsSignOff(profile: Profile, actor: StaffPrincipal): boolean {
    return profile.requiresApproval && !hasRole(actor, 'approver');
  }

  private assertStatus(post: Post, allowed: PostStatus[], verb: string): void {
    if (!allowed.includes(post.status)) {
      throw new ConflictError(`A ${post.status} post cannot be ${verb} (allowed from: ${allowed.join(', ')})`, 'status');
    }
  }

  /**
   * The rule for answers: a moderator may publish an answer to an inbox interaction
   * without being an editor and without the approval step, because answering is the
   * moderator's job; everything else needs an editor or approver.
   */
  private assertMayRelease(profile: Profile, status: RequestableStatus, actor: StaffPrincipal, isAnswer = false): void {
    if (status !== 'published' && status !== 'scheduled') return;
    if (isAnswer && hasRole(actor, 'moderator')) return;
    if (!hasRole(actor, 'editor', 'approver')) throw new ForbiddenError('Only editors and approvers can publish');
    if (profile.requiresApproval && !hasRole(actor, 'approver')) {
      throw new ForbiddenError('This profile requires approval: submit the post for review instead', 'status');
    }
  }

  private assertAnswerable(profile: Profile, replyTo: AnswerTarget): void {
    if (replyTo.profileId !== profile.id) throw new InvalidInputError('replyTo: the interaction belongs to another profile', 'replyTo');
    if (!profile.protocols.includes(replyTo.protocol)) {
      throw new ConflictError(`The profile no longer publishes on ${replyTo.protocol}, where this interaction came from`, 'replyTo');
    }
  }

  private scheduleFor(status: RequestableStatus, scheduledAt: Date | undefined): Date | null {
    if (status === 'scheduled') {
      if (!scheduledAt) throw new InvalidInputError('scheduledAt: required when status is scheduled', 'scheduledAt');
      if (scheduledAt.getTime() <= Date.now()) throw new InvalidInputError('scheduledAt: must be in the future', 'scheduledAt');
      return scheduledAt;
    }
    if (status === 'published' && scheduledAt) {
      throw new InvalidInputError('scheduledAt: use status scheduled to publish later', 'scheduledAt');
    }
    return status === 'draft' || status === 'in_review' ? (scheduledAt ?? null) : null;
  }

  private async assertContent(
    profile: Profile,
    kind: Post['kind'],
    content: { text?: string | null; title?: string | null; attachments?: Array<{ mediaId: string }> | null },
    manager: EntityManager,
  ): Promise<void> {
    const attachments = content.attachments ?? [];
    if (!content.text?.trim() && attachments.length === 0) throw new InvalidInputError('text: a post needs text or an attachment', 'text');
    if (kind === 'article' && !content.title?.trim()) throw new InvalidInputError('title: an article needs a title', 'title');
    const tooLong = textLengthProblem(kind, content.text ?? '');
    if (tooLong) throw new InvalidInputError(tooLong, 'text');
    const ids = [...new Set(attachments.map((attachment) => attachment.mediaId))];
    if (ids.length !== attachments.length) throw new InvalidInputError('attachments: the same media is attached twice', 'attachments');
    if ((await this.media.countOwned(ids, profile.id, manager)) !== ids.length) {
      throw new InvalidInputError('attachments: every mediaId must be an upload of this profile', 'attachments');
    }
  }

  private async assertThreadParent(profile: Profile, parentId: string, manager: EntityManager): Promise<void> {
    const parent = await this.posts.findById(parentId, manager);
    if (!parent || parent.profileId !== profile.id)
      throw new InvalidInputError('threadParentId: no such post on this profile', 'threadParentId');
    if (parent.status === 'deleted') throw new InvalidInputError('threadParentId: the parent post was deleted', 'threadParentId');
  }
}

/** The content an edit can change, as the post has it now. */
function contentOf(post: Post): RevisionContent {
  const { text, title, summary, language, contentWarning, attachments } = post;
  return { text, title, summary, language, contentWarning, attachments };
}
