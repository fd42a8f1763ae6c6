import { DataSource } from 'typeorm';
import type { Role } from '../../src/access/role.js';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { StaffService } from '../../src/auth/staff.service.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/common/domain-errors.js';
import { PostsModule } from '../../src/posts/posts.module.js';
import { PostsService } from '../../src/posts/posts.service.js';
import { ProfilesService } from '../../src/profiles/profiles.service.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

/**
 * Edits of published posts on a profile that requires approval: they wait as a revision,
 * the live post unchanged, until an approver approves (applied) or rejects (kept as rejected).
 * PostsService against a real PostgreSQL; what goes out to the networks is tested end to end.
 */
describe('edits of published posts waiting for approval', () => {
  let services: ServiceModule;
  let posts: PostsService;
  let admin: StaffPrincipal;
  let editor: StaffPrincipal;
  let otherEditor: StaffPrincipal;
  let approver: StaffPrincipal;
  let open: string;
  let reviewed: string;

  const staff = async (roles: Role[], name: string): Promise<StaffPrincipal> => {
    const user = await services
      .get(StaffService)
      .create({ email: `${name}@example.test`, displayName: name, password: 'a long enough password', roles }, null);
    return { id: user.id, email: user.email, displayName: user.displayName, roles };
  };
  /** The audit trail of one post, oldest first: action and details. */
  const audit = async (postId: string) =>
    (
      (await services
        .get(DataSource)
        .query(`SELECT action, actor_id, details FROM audit_event WHERE subject_id = $1 ORDER BY id`, [postId])) as Array<{
        action: string;
        actor_id: string;
        details: Record<string, unknown>;
      }>
    ).map((row) => ({ action: row.action, actorId: row.actor_id, details: row.details }));
  const published = async (profileId: string, text: string) => {
    const post = await posts.create(profileId, { kind: 'note', text, status: 'in_review' }, editor);
    return profileId === reviewed ? posts.approve(post.id, approver) : posts.publish(post.id, editor);
  };

  beforeAll(async () => {
    services = await startServiceModule('postrevisions', [PostsModule, AuthModule]);
    posts = services.get(PostsService);
    [admin, editor, otherEditor, approver] = await Promise.all([
      staff(['admin'], 'admin'),
      staff(['editor'], 'editor'),
      staff(['editor'], 'second-editor'),
      staff(['approver'], 'approver'),
    ]);
    const profiles = services.get(ProfilesService);
    open = (await profiles.create({ handle: 'open', domain: 'open.example.org', displayName: 'Open' }, admin)).id;
    reviewed = (
      await profiles.create({ handle: 'reviewed', domain: 'reviewed.example.org', displayName: 'Reviewed', requiresApproval: true }, admin)
    ).id;
  }, 60_000);

  afterAll(async () => {
    await services?.close();
  }, 30_000);

  it('keeps an editor’s edit as a pending revision and the live post unchanged, until an approver approves it', async () => {
    const post = await published(reviewed, 'Strategy out today.');
    const edited = await posts.update(post.id, { text: 'Strategy out today. #EU', contentWarning: 'Policy' }, editor);
    expect(edited).toMatchObject({ text: 'Strategy out today.', contentWarning: null, status: 'published' });
    expect(edited.pendingRevision).toMatchObject({
      state: 'pending',
      proposedBy: editor.id,
      content: { text: 'Strategy out today. #EU', contentWarning: 'Policy', title: null, attachments: [] },
    });
    expect((await posts.get(post.id)).text).toBe('Strategy out today.');

    const approved = await posts.approveRevision(post.id, edited.pendingRevision!.id, approver);
    expect(approved).toMatchObject({ text: 'Strategy out today. #EU', contentWarning: 'Policy', pendingRevision: null });
    expect((await posts.revisionsOf(post.id)).map((revision) => [revision.state, revision.decidedBy])).toEqual([['approved', approver.id]]);
    expect((await audit(post.id)).slice(-2)).toEqual([
      {
        action: 'post.revision_propose',
        actorId: editor.id,
        details: { revisionId: edited.pendingRevision!.id, fields: ['text', 'contentWarning'] },
      },
      { action: 'post.revision_approve', actorId: approver.id, details: { revisionId: edited.pendingRevision!.id, proposedBy: editor.id } },
    ]);
    // Decided once: a second decision is refused.
    await expect(posts.rejectRevision(post.id, edited.pendingRevision!.id, approver)).rejects.toThrow(
      new ConflictError('This edit cannot be rejected: it was already approved', 'state'),
    );
  });

  it('discards a rejected edit: the post stays as it was, the revision is kept as rejected', async () => {
    const post = await published(reviewed, 'Press conference at noon.');
    const { pendingRevision } = await posts.update(post.id, { text: 'Press conference at 1 pm.' }, editor);
    const rejected = await posts.rejectRevision(post.id, pendingRevision!.id, approver);
    expect(rejected).toMatchObject({ text: 'Press conference at noon.', pendingRevision: null });
    expect((await posts.revisionsOf(post.id))[0]).toMatchObject({ state: 'rejected', decidedBy: approver.id });
    expect((await audit(post.id)).at(-1)).toMatchObject({ action: 'post.revision_reject', actorId: approver.id });
  });

  it('keeps one pending edit per post: a second edit replaces the first, starting from it', async () => {
    const post = await published(reviewed, 'Budget 2027.');
    const first = (await posts.update(post.id, { text: 'Budget 2027, explained.', contentWarning: 'Numbers' }, editor)).pendingRevision!;
    // Another editor changes only the text: the first edit's content warning stays in the proposal.
    const second = (await posts.update(post.id, { text: 'The 2027 budget, explained.' }, otherEditor)).pendingRevision!;
    expect(second.id).not.toBe(first.id);
    expect(second.content).toMatchObject({ text: 'The 2027 budget, explained.', contentWarning: 'Numbers' });
    expect((await posts.revisionsOf(post.id)).map((revision) => revision.state)).toEqual(['pending', 'replaced']);
    expect((await audit(post.id)).at(-1)).toMatchObject({
      action: 'post.revision_propose',
      details: { revisionId: second.id, replacedRevision: first.id },
    });
    // The approver approves what they saw; the replaced edit can no longer be approved.
    await expect(posts.approveRevision(post.id, first.id, approver)).rejects.toThrow('a newer edit replaced it');
    expect((await posts.get(post.id)).text).toBe('Budget 2027.');
    expect((await posts.approveRevision(post.id, second.id, approver)).text).toBe('The 2027 budget, explained.');
  });

  it('applies at once where the editor may release: no approval on the profile, or an approver or admin editing', async () => {
    const openPost = await published(open, 'No sign-off here.');
    const openEdit = await posts.update(openPost.id, { text: 'No sign-off here, edited.' }, editor);
    expect(openEdit).toMatchObject({ text: 'No sign-off here, edited.', pendingRevision: null });

    const post = await published(reviewed, 'Signed off.');
    const pending = (await posts.update(post.id, { text: 'Signed off, with a typo.' }, editor)).pendingRevision!;
    // The admin edits (in the console, starting from the pending edit): it goes out, and the pending edit is replaced.
    const fixed = await posts.update(post.id, { text: 'Signed off, typo fixed.' }, admin);
    expect(fixed).toMatchObject({ text: 'Signed off, typo fixed.', pendingRevision: null });
    expect((await posts.revisionsOf(post.id))[0]).toMatchObject({ id: pending.id, state: 'replaced' });
    expect((await audit(post.id)).at(-1)).toMatchObject({ action: 'post.update', details: { replacedRevision: pending.id } });
    expect((await posts.update(post.id, { text: 'An approver’s own edit.' }, approver)).text).toBe('An approver’s own edit.');
  });

  it('refuses a bad edit before storing it, and decisions by anyone but an approver', async () => {
    const post = await published(reviewed, 'Refusals.');
    await expect(posts.update(post.id, { text: '   ' }, editor)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(posts.update(post.id, { scheduledAt: new Date(Date.now() + 60_000) }, editor)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await posts.revisionsOf(post.id)).toEqual([]);
    const { pendingRevision } = await posts.update(post.id, { text: 'Refusals, edited.' }, editor);
    await expect(posts.approveRevision(post.id, pendingRevision!.id, editor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(posts.rejectRevision(post.id, pendingRevision!.id, otherEditor)).rejects.toBeInstanceOf(ForbiddenError);
    const other = await published(reviewed, 'Another post.');
    await expect(posts.approveRevision(other.id, pendingRevision!.id, approver)).rejects.toBeInstanceOf(NotFoundError);
    expect((await posts.get(post.id)).pendingRevision?.id).toBe(pendingRevision!.id);
  });

  it('discards the pending edit when the post is deleted', async () => {
    const post = await published(reviewed, 'Short-lived.');
    const { pendingRevision } = await posts.update(post.id, { text: 'Short-lived, edited.' }, editor);
    await posts.delete(post.id, editor);
    expect((await posts.revisionsOf(post.id))[0]).toMatchObject({ id: pendingRevision!.id, state: 'discarded' });
    await expect(posts.approveRevision(post.id, pendingRevision!.id, approver)).rejects.toThrow('it was already discarded');
  });
});
