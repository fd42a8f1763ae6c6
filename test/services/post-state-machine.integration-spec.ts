import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import type { Role } from '../../src/access/role.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { InboxModule } from '../../src/inbox/inbox.module.js';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { StaffService } from '../../src/auth/staff.service.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/common/domain-errors.js';
import { OutboxRepository } from '../../src/outbox/outbox.repository.js';
import { PostsModule } from '../../src/posts/posts.module.js';
import { PostsService } from '../../src/posts/posts.service.js';
import { ProfilesService } from '../../src/profiles/profiles.service.js';
import { QUEUES } from '../../src/queue/queues.js';
import { atReply } from '../inbox/inbox-fixtures.js';
import { eventually } from '../support/eventually.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

/** PostsService against a real PostgreSQL and Redis: every transition, what it writes, and what it refuses. */
describe('post state machine', () => {
  let services: ServiceModule;
  let posts: PostsService;
  let outbox: OutboxRepository;
  let admin: StaffPrincipal;
  let editor: StaffPrincipal;
  let approver: StaffPrincipal;
  let moderator: StaffPrincipal;
  let open: string;
  let reviewed: string;

  const staff = async (roles: Role[]): Promise<StaffPrincipal> => {
    const user = await services
      .get(StaffService)
      .create({ email: `${roles.join('-')}@example.test`, displayName: roles.join(' '), password: 'a long enough password', roles }, null);
    return { id: user.id, email: user.email, displayName: user.displayName, roles };
  };
  const publicationJobs = async () =>
    (await services.module.get<Queue>(getQueueToken(QUEUES.publications)).getJobs(['waiting', 'delayed', 'active', 'completed'])).map(
      (job) => job.data as { publicationId: string },
    );

  beforeAll(async () => {
    services = await startServiceModule('poststates', [PostsModule, AuthModule, InboxModule]);
    posts = services.get(PostsService);
    outbox = services.get(OutboxRepository);
    [admin, editor, approver, moderator] = await Promise.all([
      staff(['admin']),
      staff(['editor']),
      staff(['approver']),
      staff(['moderator']),
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

  it('creates a draft with one pending publication per network and no work to do', async () => {
    const before = await outbox.count('publication');
    const draft = await posts.create(open, { kind: 'note', text: 'A draft' }, editor);
    expect(draft.status).toBe('draft');
    expect(draft.publications.map((publication) => [publication.protocol, publication.state, publication.dueAt])).toEqual([
      ['activitypub', 'pending', null],
      ['atproto', 'pending', null],
    ]);
    expect(await outbox.count('publication')).toBe(before);
  });

  it('publishes: the publications become due and their jobs are written with the post, then enqueued', async () => {
    const post = await posts.create(open, { kind: 'note', text: 'Out now', status: 'published' }, editor);
    expect(post.status).toBe('published');
    expect(post.publications.every((publication) => publication.dueAt !== null)).toBe(true);
    const ids = post.publications.map((publication) => publication.id);
    await eventually(async () => {
      const queued = (await publicationJobs()).map((job) => job.publicationId);
      return ids.every((id) => queued.includes(id));
    });
  });

  it('goes draft → in review → draft → in review → published on a profile that requires approval', async () => {
    const draft = await posts.create(reviewed, { kind: 'note', text: 'Needs a second pair of eyes' }, editor);
    await expect(posts.publish(draft.id, editor)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await posts.submit(draft.id, editor)).status).toBe('in_review');
    expect((await posts.reject(draft.id, approver)).status).toBe('draft');
    await posts.submit(draft.id, editor);
    const approved = await posts.approve(draft.id, approver);
    expect(approved.status).toBe('published');
    expect(approved.approvedBy).toBe(approver.id);
  });

  it('refuses transitions from the wrong state, and changes nothing', async () => {
    const published = await posts.create(open, { kind: 'note', text: 'Already out', status: 'published' }, editor);
    const rows = await outbox.count();
    await expect(posts.submit(published.id, editor)).rejects.toBeInstanceOf(ConflictError);
    await expect(posts.approve(published.id, approver)).rejects.toBeInstanceOf(ConflictError);
    await expect(posts.unschedule(published.id, editor)).rejects.toBeInstanceOf(ConflictError);
    expect((await posts.get(published.id)).status).toBe('published');
    expect(await outbox.count()).toBe(rows);
  });

  it('lets only editors and approvers publish, except a moderator answering', async () => {
    await expect(posts.create(open, { kind: 'note', text: 'Not mine to publish', status: 'published' }, moderator)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const reply = await services.get(InboxService).receive(atReply(open));
    const answer = await posts.create(open, { kind: 'note', text: 'Thanks!', status: 'published' }, moderator, { replyTo: reply! });
    expect(answer.publications.map((publication) => publication.protocol)).toEqual(['atproto']);
  });

  it('schedules, releases only when due, and a second release does nothing', async () => {
    await expect(
      posts.create(open, { kind: 'note', text: 'Too late', status: 'scheduled', scheduledAt: new Date(Date.now() - 1000) }, editor),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const scheduled = await posts.create(
      open,
      { kind: 'note', text: 'Soon', status: 'scheduled', scheduledAt: new Date(Date.now() + 1_500) },
      editor,
    );
    expect(scheduled.status).toBe('scheduled');
    expect(await posts.publishDue(scheduled.id)).toBe(false);
    await eventually(() => posts.publishDue(scheduled.id), 10_000);
    expect((await posts.get(scheduled.id)).status).toBe('published');
    expect(await posts.publishDue(scheduled.id)).toBe(false);
  });

  it('unschedules back to draft: the publications are no longer due and the release finds nothing to do', async () => {
    const scheduled = await posts.create(
      open,
      { kind: 'note', text: 'Maybe later', status: 'scheduled', scheduledAt: new Date(Date.now() + 60_000) },
      editor,
    );
    const draft = await posts.unschedule(scheduled.id, editor);
    expect(draft.status).toBe('draft');
    expect(draft.publications.every((publication) => publication.dueAt === null)).toBe(true);
    expect(await posts.publishDue(scheduled.id)).toBe(false);
  });

  it('carries an edit made before anything went out in the pending publish, and turns a delete into a retraction', async () => {
    const post = await posts.create(open, { kind: 'note', text: 'First wording', status: 'published' }, editor);
    const edited = await posts.update(post.id, { text: 'Second wording' }, editor);
    expect(edited.publications.map((publication) => publication.action)).toEqual(['publish', 'publish']);
    const deleted = await posts.delete(post.id, editor);
    expect(deleted.status).toBe('deleted');
    expect(deleted.publications.every((publication) => publication.action === 'retract' && publication.state === 'pending')).toBe(true);
    await expect(posts.update(post.id, { text: 'Too late' }, editor)).rejects.toBeInstanceOf(ConflictError);
  });
});
