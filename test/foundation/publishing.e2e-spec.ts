import { ProtocolAdapterRegistry } from '../../src/publishing/protocol-adapters.registry.js';
import { eventually } from '../support/eventually.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { deleteRedisPrefix } from '../support/test-redis.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

interface PublicationBody {
  protocol: string;
  state: string;
  action: string;
  remoteId: string | null;
  remoteRefs: Record<string, unknown>;
  lastError: string | null;
}

describe('publishing pipeline: web writes, worker publishes, PostgreSQL remembers', () => {
  let web: TestHerald;
  let worker: TestHerald | undefined;
  let editor: string;
  let profileId: string;
  const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };

  const post = (body: object) =>
    web.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send(body)
      .expect(201)
      .then((response) => response.body);
  const publications = async (postId: string): Promise<PublicationBody[]> =>
    (await web.http.get(`/api/posts/${postId}`).set('Authorization', `Bearer ${editor}`).expect(200)).body.publications;
  const allIn = (state: string) => async (postId: string) =>
    (await publications(postId)).every((publication) => publication.state === state);

  beforeAll(async () => {
    web = await startTestHerald('publishing', { HERALD_ROLE: 'web' });
    const admin = await web.login(['admin']);
    editor = await web.login(['editor']);
    profileId = (
      await web.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'ngo', domain: 'ngo.example.org', displayName: 'An NGO' })
        .expect(201)
    ).body.id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await web?.close();
  }, CLOSE_TIMEOUT_MS);

  it('re-enqueues, through the sweep, publications whose queued jobs Redis lost', async () => {
    const published = await post({ kind: 'note', text: 'Before the crash', status: 'published' });
    const scheduled = await post({
      kind: 'note',
      text: 'Scheduled before the crash',
      status: 'scheduled',
      scheduledAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(await deleteRedisPrefix(web.config.redis.prefix)).toBeGreaterThan(0);

    worker = await startTestHerald(
      'publishing',
      { HERALD_ROLE: 'worker', PUBLICATION_SWEEP_INTERVAL_SECONDS: '1', PUBLICATION_DEADLINE_SECONDS: '0' },
      web,
    );
    const registry = worker.herald.app.get(ProtocolAdapterRegistry);
    registry.register(adapters.activitypub);
    registry.register(adapters.atproto);

    await eventually(() => allIn('published')(published.id), 20_000);
    await eventually(() => allIn('published')(scheduled.id), 20_000);
    // The worker's first sweep runs as it starts, so the real adapter may publish before the
    // recording one is swapped in: either way the lost job was re-enqueued and carried out.
    const [activitypub] = await publications(published.id);
    expect(activitypub.remoteId).toMatch(new RegExp(`^(activitypub:reserved-|https?://[^/]+/@ngo/posts/)${published.id}$`));
  });

  it('publishes a scheduled post at its time through a delayed job', async () => {
    const scheduledAt = Date.now() + 1_500;
    const scheduled = await post({ kind: 'note', text: 'On time', status: 'scheduled', scheduledAt: new Date(scheduledAt).toISOString() });
    expect(scheduled.status).toBe('scheduled');
    await eventually(() => allIn('published')(scheduled.id), 15_000);
    const body = (await web.http.get(`/api/posts/${scheduled.id}`).set('Authorization', `Bearer ${editor}`)).body;
    expect(body.status).toBe('published');
    expect(new Date(body.publishedAt).getTime()).toBeGreaterThanOrEqual(scheduledAt - 50);
  });

  it('sends edits as updates and deletes as retractions, once each', async () => {
    const created = await post({ kind: 'note', text: 'First wording', status: 'published' });
    await eventually(() => allIn('published')(created.id));
    await web.http.patch(`/api/posts/${created.id}`).set('Authorization', `Bearer ${editor}`).send({ text: 'Second wording' }).expect(200);
    await eventually(async () =>
      (await publications(created.id)).every((publication) => publication.action === 'update' && publication.state === 'published'),
    );
    await web.http.delete(`/api/posts/${created.id}`).set('Authorization', `Bearer ${editor}`).expect(200);
    await eventually(() => allIn('retracted')(created.id));
    for (const adapter of Object.values(adapters)) {
      expect(adapter.calls.filter((call) => call.postId === created.id).map((call) => call.action)).toEqual([
        'publish',
        'update',
        'retract',
      ]);
    }
  });

  it('retracts a draft that never went out without calling the network', async () => {
    const draft = await post({ kind: 'note', text: 'Never sent' });
    await web.http.delete(`/api/posts/${draft.id}`).set('Authorization', `Bearer ${editor}`).expect(200);
    await eventually(() => allIn('retracted')(draft.id));
    expect(adapters.atproto.calls.some((call) => call.postId === draft.id)).toBe(false);
  });

  it('gives up at once on a permanent failure and keeps the error', async () => {
    adapters.atproto.failures.push('permanent');
    const created = await post({ kind: 'note', text: 'Refused by one network', status: 'published' });
    await eventually(async () => (await publications(created.id)).every((publication) => publication.state !== 'pending'));
    const byProtocol = Object.fromEntries((await publications(created.id)).map((publication) => [publication.protocol, publication]));
    expect(byProtocol.activitypub.state).toBe('published');
    expect(byProtocol.atproto.state).toBe('failed');
    expect(byProtocol.atproto.lastError).toMatch(/^permanent: /);
  });

  it('retries a retryable failure and then succeeds', async () => {
    adapters.activitypub.failures.push('retry');
    const created = await post({ kind: 'note', text: 'Flaky network', status: 'published' });
    await eventually(() => allIn('published')(created.id), 20_000);
    const activitypub = (await publications(created.id)).find((publication) => publication.protocol === 'activitypub');
    expect(activitypub?.lastError).toBeNull();
  });

  it('publishes a thread in order: the child waits for its parent', async () => {
    const parent = await post({ kind: 'note', text: 'Part one' });
    const child = await post({ kind: 'note', text: 'Part two', threadParentId: parent.id, status: 'published' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await publications(child.id)).every((publication) => publication.state === 'pending')).toBe(true);
    await web.http.post(`/api/posts/${parent.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    await eventually(() => allIn('published')(child.id), 30_000);
    const order = adapters.atproto.calls.filter((call) => call.postId === parent.id || call.postId === child.id).map((call) => call.postId);
    expect(order).toEqual([parent.id, child.id]);
  });
});
