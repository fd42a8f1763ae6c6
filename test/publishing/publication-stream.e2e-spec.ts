import { DataSource } from 'typeorm';
import { ProtocolAdapterRegistry } from '../../src/publishing/protocol-adapters.registry.js';
import { eventually } from '../support/eventually.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { openEventStream, type SseConnection, type SseEvent } from '../support/sse-client.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';

interface PublicationEvent {
  id: string;
  postId: string;
  protocol: string;
  state: string;
  action: string;
  attempts: number;
  lastError: string | null;
  dueAt: string | null;
}

/**
 * Publication states over Server-Sent Events: the web process streams what the
 * worker process records, through the event log and PostgreSQL NOTIFY.
 */
describe('live publication states over Server-Sent Events', () => {
  let web: TestHerald;
  let worker: TestHerald;
  let editor: string;
  let analyst: string;
  let profileId: string;
  let otherProfileId: string;
  const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };
  const open: SseConnection[] = [];

  const connect = async (headers: Record<string, string>, query = '', profile = profileId) => {
    const connection = await openEventStream(`${web.url}/api/profiles/${profile}/publications/stream${query}`, headers);
    open.push(connection);
    return connection;
  };
  const asAnalyst = () => ({ Cookie: `herald_session=${analyst}` });
  const parse = (event: SseEvent) => JSON.parse(event.data) as PublicationEvent;
  const post = async (body: object, profile = profileId): Promise<{ id: string }> =>
    (await web.http.post(`/api/profiles/${profile}/posts`).set('Authorization', `Bearer ${editor}`).send(body).expect(201)).body;
  const publications = async (postId: string): Promise<Array<{ state: string; action: string }>> =>
    (await web.http.get(`/api/posts/${postId}`).set('Authorization', `Bearer ${editor}`).expect(200)).body.publications;
  const settled = (postId: string, action: string, state: string) =>
    eventually(async () => (await publications(postId)).every((row) => row.action === action && row.state === state), 20_000);
  const steps = (events: PublicationEvent[], protocol: string) =>
    events.filter((event) => event.protocol === protocol).map((event) => [event.action, event.state]);

  beforeAll(async () => {
    web = await startTestHerald('pubstream', { HERALD_ROLE: 'web' });
    worker = await startTestHerald('pubstream', { HERALD_ROLE: 'worker' }, web);
    const registry = worker.herald.app.get(ProtocolAdapterRegistry);
    registry.register(adapters.activitypub);
    registry.register(adapters.atproto);
    const admin = await web.login(['admin']);
    editor = await web.login(['editor']);
    analyst = await web.login(['analyst']);
    const profile = (handle: string) =>
      web.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle, domain: `${handle}.example.org`, displayName: handle })
        .expect(201)
        .then((response) => response.body.id as string);
    profileId = await profile('ngo');
    otherProfileId = await profile('other');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    open.forEach((connection) => connection.close());
    await worker?.close();
    await web?.close();
  }, CLOSE_TIMEOUT_MS);

  it("streams each change of a profile's publications as the worker records it, and nothing of other profiles", async () => {
    const stream = await connect(asAnalyst());
    expect(stream.status).toBe(200);
    // Another profile's post goes out first: had the stream leaked it, its events would come before ours.
    const elsewhere = await post({ kind: 'note', text: 'Elsewhere', status: 'published' }, otherProfileId);
    await settled(elsewhere.id, 'publish', 'published');

    const draft = await post({ kind: 'note', text: 'Streamed' });
    adapters.atproto.failures.push('retry');
    await web.http.post(`/api/posts/${draft.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    // Released (2), Bluesky's failed attempt (1), then both published (2).
    const events = await stream.waitFor(5, 20_000);
    const changes = events.map(parse);
    expect(events.map((event) => event.event)).toEqual(Array(5).fill('publication.updated'));
    expect(changes.map((change) => change.postId)).toEqual(Array(5).fill(draft.id));
    const ids = events.map((event) => BigInt(event.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const trail = (protocol: string) =>
      changes
        .filter((change) => change.protocol === protocol)
        .map((change) => [change.state, change.attempts, change.lastError?.split(':')[0] ?? null, change.dueAt !== null]);
    expect(trail('activitypub')).toEqual([
      ['pending', 0, null, true],
      ['published', 1, null, true],
    ]);
    expect(trail('atproto')).toEqual([
      ['pending', 0, null, true],
      ['pending', 1, 'will retry', true],
      ['published', 2, null, true],
    ]);
  });

  it('replays what a reconnecting console missed (Last-Event-ID), then goes on live, with no gap and no duplicate', async () => {
    const first = await connect(asAnalyst());
    const created = await post({ kind: 'note', text: 'First wording', status: 'published' });
    const seen = await first.waitFor(2, 20_000);
    expect(seen.map(parse).map((change) => [change.postId, change.state])).toEqual([
      [created.id, 'published'],
      [created.id, 'published'],
    ]);
    first.close();

    // While the console is away: an edit goes out as an update, then the post is deleted.
    await web.http.patch(`/api/posts/${created.id}`).set('Authorization', `Bearer ${editor}`).send({ text: 'Second' }).expect(200);
    await settled(created.id, 'update', 'published');
    await web.http.delete(`/api/posts/${created.id}`).set('Authorization', `Bearer ${editor}`).expect(200);
    await settled(created.id, 'retract', 'retracted');
    const missed: Array<{ id: string }> = await web.herald.app
      .get(DataSource)
      .query(`SELECT id FROM event_log WHERE topic = 'publication' AND profile_id = $1 AND id > $2 ORDER BY id`, [profileId, seen[1].id]);
    expect(missed).toHaveLength(8);

    const second = await connect({ ...asAnalyst(), 'Last-Event-ID': seen[1].id! });
    const replayed = await second.waitFor(8);
    expect(replayed.map((event) => event.id)).toEqual(missed.map((row) => String(row.id)));
    for (const protocol of ['activitypub', 'atproto']) {
      expect(steps(replayed.map(parse), protocol)).toEqual([
        ['update', 'pending'],
        ['update', 'published'],
        ['retract', 'pending'],
        ['retract', 'retracted'],
      ]);
    }
    // ...then live on the same connection; a later change arriving right after the replay shows nothing came twice.
    const sentinel = await post({ kind: 'note', text: 'Sentinel' });
    await web.http.post(`/api/posts/${sentinel.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    const all = await second.waitFor(10, 20_000);
    expect(all.slice(8, 10).map((event) => parse(event).postId)).toEqual([sentinel.id, sentinel.id]);
    const ids = all.map((event) => BigInt(event.id!));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    await settled(sentinel.id, 'publish', 'published');
  });

  it("starts from the position a page was rendered at (after), and a reconnect's Last-Event-ID wins over it", async () => {
    const [{ id: position }] = await web.herald.app
      .get(DataSource)
      .query(`SELECT coalesce(max(id), 0) AS id FROM event_log WHERE topic = 'publication' AND profile_id = $1`, [profileId]);
    const draft = await post({ kind: 'note', text: 'Released before the page connected' });
    await web.http.post(`/api/posts/${draft.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    const page = await connect(asAnalyst(), `?after=${position}`);
    const [released] = await page.waitFor(1);
    expect(parse(released)).toMatchObject({ postId: draft.id, state: 'pending', action: 'publish' });

    const reconnect = await connect({ ...asAnalyst(), 'Last-Event-ID': released.id! }, '?after=0');
    const [next] = await reconnect.waitFor(1, 20_000);
    expect(BigInt(next.id!)).toBeGreaterThan(BigInt(released.id!));
  });

  it('needs a session, well-formed positions and an existing profile', async () => {
    expect((await connect({})).status).toBe(401);
    expect((await connect({ ...asAnalyst(), 'Last-Event-ID': 'abc' })).status).toBe(400);
    expect((await connect(asAnalyst(), '?after=abc')).status).toBe(400);
    expect((await connect(asAnalyst(), '', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
