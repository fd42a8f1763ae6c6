import { DataSource } from 'typeorm';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { StaffService } from '../../src/auth/staff.service.js';
import type { Protocol } from '../../src/common/protocol.js';
import { PostsService } from '../../src/posts/posts.service.js';
import { PublicationsRepository } from '../../src/posts/publications.repository.js';
import { ProfilesService } from '../../src/profiles/profiles.service.js';
import { ProtocolAdapterRegistry } from '../../src/publishing/protocol-adapters.registry.js';
import { PublicationRunner } from '../../src/publishing/publication-runner.js';
import { PublishingModule } from '../../src/publishing/publishing.module.js';
import { NetworkBackoff, NetworkNotReady } from '../../src/publishing/network-backoff.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

/** The runner with real repositories and recording adapters: the publication's state after each outcome. */
describe('publication runner', () => {
  let services: ServiceModule;
  let runner: PublicationRunner;
  let posts: PostsService;
  let publications: PublicationsRepository;
  let editor: StaffPrincipal;
  let profileId: string;
  const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };

  const publicationOf = async (postId: string, protocol: Protocol = 'atproto') =>
    (await publications.findByPostAndProtocol(postId, protocol))!;
  const publish = (text: string, extra: object = {}) =>
    posts.create(profileId, { kind: 'note', text, status: 'published', ...extra }, editor);

  beforeAll(async () => {
    services = await startServiceModule('runner', [PublishingModule, AuthModule]);
    runner = services.get(PublicationRunner);
    posts = services.get(PostsService);
    publications = services.get(PublicationsRepository);
    const registry = services.get(ProtocolAdapterRegistry);
    registry.register(adapters.activitypub);
    registry.register(adapters.atproto);
    const user = await services
      .get(StaffService)
      .create({ email: 'admin@example.test', displayName: 'Admin', password: 'a long enough password', roles: ['admin'] }, null);
    editor = { id: user.id, email: user.email, displayName: user.displayName, roles: ['admin'] };
    profileId = (
      await services.get(ProfilesService).create({ handle: 'runner', domain: 'runner.example.org', displayName: 'Runner' }, editor)
    ).id;
  }, 60_000);

  afterAll(async () => {
    await services?.close();
  }, 30_000);

  it('stores the reserved references before writing, records the remote id, and a second run does nothing', async () => {
    const post = await publish('Once only');
    const { id } = await publicationOf(post.id);
    await runner.run(id, false);
    await runner.run(id, false);
    const done = await publicationOf(post.id);
    expect(done).toMatchObject({ state: 'published', remoteId: `atproto:reserved-${post.id}`, attempts: 1, lastError: null });
    expect(done.remoteRefs).toEqual({ key: `reserved-${post.id}` });
    expect(adapters.atproto.calls.filter((call) => call.postId === post.id)).toEqual([
      { action: 'publish', postId: post.id, remoteRefs: { key: `reserved-${post.id}` }, text: 'Once only' },
    ]);
  });

  it('keeps a publication pending after a retryable failure, and succeeds on the next attempt with the same references', async () => {
    const post = await publish('Flaky network');
    const { id } = await publicationOf(post.id);
    adapters.atproto.failures.push('retry');
    await expect(runner.run(id, false)).rejects.toThrow('retry failure on publish');
    expect(await publicationOf(post.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'will retry: retry failure on publish',
    });
    await runner.run(id, false);
    expect(await publicationOf(post.id)).toMatchObject({
      state: 'published',
      attempts: 2,
      lastError: null,
      remoteId: `atproto:reserved-${post.id}`,
    });
  });

  it('gives up on the final attempt of a retryable failure, and at once on a permanent one', async () => {
    const last = await publish('Last chance');
    adapters.atproto.failures.push('retry');
    await runner.run((await publicationOf(last.id)).id, true);
    expect(await publicationOf(last.id)).toMatchObject({
      state: 'failed',
      lastError: 'gave up after repeated failures: retry failure on publish',
    });

    const permanent = await publish('Refused');
    adapters.atproto.failures.push('permanent');
    await runner.run((await publicationOf(permanent.id)).id, false);
    expect(await publicationOf(permanent.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'refused: permanent failure on publish',
    });
  });

  it('retries a failed publication on request: pending again with outbox work, then published; nothing to retry is refused', async () => {
    const refused = await publish('Refused, then accepted');
    adapters.atproto.failures.push('permanent');
    await runner.run((await publicationOf(refused.id)).id, false);
    expect(await publicationOf(refused.id)).toMatchObject({ state: 'failed' });
    const retried = await posts.retry(refused.id, editor, 'atproto');
    const pending = retried.publications.find((publication) => publication.protocol === 'atproto')!;
    expect(pending).toMatchObject({ state: 'pending', attempts: 0, lastError: null, action: 'publish' });
    const [work] = await services
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'publication' AND payload->>'publicationId' = $1`, [pending.id]);
    expect(work.n).toBeGreaterThan(0);
    await runner.run(pending.id, false);
    expect(await publicationOf(refused.id)).toMatchObject({ state: 'published', attempts: 1 });
    await expect(posts.retry(refused.id, editor)).rejects.toThrow('Nothing to retry');
  });

  it('retracts a post that never went out without calling the network', async () => {
    const draft = await posts.create(profileId, { kind: 'note', text: 'Never sent' }, editor);
    await posts.delete(draft.id, editor);
    await runner.run((await publicationOf(draft.id)).id, false);
    expect((await publicationOf(draft.id)).state).toBe('retracted');
    expect(adapters.atproto.calls.some((call) => call.postId === draft.id)).toBe(false);
  });

  it('holds a thread reply back until its parent is out on the same network', async () => {
    const parent = await publish('1/2');
    const child = await publish('2/2', { threadParentId: parent.id });
    const childPublication = await publicationOf(child.id);
    await expect(runner.run(childPublication.id, false)).rejects.toThrow(`waiting for thread parent ${parent.id}`);
    expect((await publicationOf(child.id)).state).toBe('pending');
    await runner.run((await publicationOf(parent.id)).id, false);
    await runner.run(childPublication.id, false);
    expect((await publicationOf(child.id)).state).toBe('published');
    const order = adapters.atproto.calls.map((call) => call.postId).filter((id) => id === parent.id || id === child.id);
    expect(order).toEqual([parent.id, child.id]);
  });

  it('after three failures in a row, holds every publication of the profile on that network until the wait ends, using up no attempt', async () => {
    const first = await publish('Network down 1');
    const second = await publish('Network down 2');
    adapters.atproto.failures.push('retry', 'retry', 'retry');
    const { id } = await publicationOf(first.id);
    // Two failures are retried by the job itself, with the network's own words.
    await expect(runner.run(id, false)).rejects.toThrow('retry failure on publish');
    await expect(runner.run(id, false)).rejects.toThrow('retry failure on publish');
    // The third starts the network's wait: the publication waits too, and says why and until when.
    const waiting = await runner.run(id, false).then(
      () => null,
      (error: unknown) => error,
    );
    expect(waiting).toBeInstanceOf(NetworkNotReady);
    expect((waiting as NetworkNotReady).retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(await publicationOf(first.id)).toMatchObject({ state: 'pending', attempts: 2 });
    expect((await publicationOf(first.id)).lastError).toMatch(
      /^waiting: Bluesky: posts could not be published \(retry failure on publish\)\./,
    );
    // Another post of the same profile does not call the network while it waits.
    const calls = adapters.atproto.calls.length;
    await expect(runner.run((await publicationOf(second.id)).id, false)).rejects.toBeInstanceOf(NetworkNotReady);
    expect(adapters.atproto.calls.length).toBe(calls);
    expect(await publicationOf(second.id)).toMatchObject({ state: 'pending', attempts: 0 });
    // Try now's first step ends the wait: both go out, and the network's failure count starts again.
    await services.get(NetworkBackoff).clearWait(profileId, 'atproto');
    await runner.run(id, false);
    await runner.run((await publicationOf(second.id)).id, false);
    expect(await publicationOf(first.id)).toMatchObject({ state: 'published', lastError: null });
    expect(await publicationOf(second.id)).toMatchObject({ state: 'published', lastError: null });
  });

  it('marks a publication failed, never "will retry", when the outbox sweep gives up on it', async () => {
    const post = await publish('Given up by the sweep');
    adapters.atproto.failures.push('retry');
    const publication = await publicationOf(post.id);
    await expect(runner.run(publication.id, false)).rejects.toThrow();
    expect((await publicationOf(post.id)).lastError).toMatch(/^will retry: /);
    // What the outbox calls for a publication row it gives up (registered with Outbox.onGiveUp; see outbox.integration-spec).
    expect(services.get(Outbox)).toBeInstanceOf(Outbox);
    const [row] = await services
      .get(DataSource)
      .query(`SELECT id FROM outbox WHERE kind = 'publication' AND payload->>'publicationId' = $1`, [publication.id]);
    expect(row).toBeDefined();
    await runner.giveUp(publication.id, 'gave up after 10 jobs ended without finishing the work');
    const failed = await publicationOf(post.id);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toBe('gave up: gave up after 10 jobs ended without finishing the work');
    expect(failed.lastError).not.toMatch(/retry:/);
    // Only a pending publication is given up: a later call leaves the failure as it is.
    await runner.giveUp(publication.id, 'again');
    expect((await publicationOf(post.id)).lastError).toBe('gave up: gave up after 10 jobs ended without finishing the work');
  });
});
