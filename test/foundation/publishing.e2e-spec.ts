import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { DataSource } from 'typeorm';
import { startTestHerald, startWorkerWithAdapters, type TestHerald } from '../support/test-herald.js';
import { deleteRedisPrefix } from '../support/test-redis.js';

interface PublicationBody {
  id: string;
  protocol: string;
  state: string;
  action: string;
  remoteId: string | null;
  remoteRefs: Record<string, unknown>;
  lastError: string | null;
}

interface PostBody {
  id: string;
  status: string;
}

/** A `web` hub with an editor and a profile, and the admin API calls the tests make. */
async function startWebHub(label: string) {
  const web = await startTestHerald(label, { HERALD_ROLE: 'web' });
  const admin = await web.login(['admin']);
  const editor = await web.login(['editor']);
  const profileId: string = (
    await web.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'ngo', domain: 'ngo.example.org', displayName: 'An NGO' })
      .expect(201)
  ).body.id;
  const post = async (body: object): Promise<PostBody> =>
    (await web.http.post(`/api/profiles/${profileId}/posts`).set('Authorization', `Bearer ${editor}`).send(body).expect(201)).body;
  const publications = async (postId: string): Promise<PublicationBody[]> =>
    (await web.http.get(`/api/posts/${postId}`).set('Authorization', `Bearer ${editor}`).expect(200)).body.publications;
  const allIn = (state: string) => async (postId: string) =>
    (await publications(postId)).every((publication) => publication.state === state);
  return { web, editor, post, publications, allIn };
}

describe('publishing pipeline: web writes, worker publishes, PostgreSQL remembers', () => {
  describe('after Redis lost the queued jobs', () => {
    let hub: Awaited<ReturnType<typeof startWebHub>>;
    let worker: TestHerald;
    let published: PostBody;
    let scheduled: PostBody;
    const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };

    beforeAll(async () => {
      hub = await startWebHub('publishing-lost');
      published = await hub.post({ kind: 'note', text: 'Before the crash', status: 'published' });
      scheduled = await hub.post({
        kind: 'note',
        text: 'Scheduled before the crash',
        status: 'scheduled',
        scheduledAt: new Date(Date.now() + 1_000).toISOString(),
      });
      expect(await deleteRedisPrefix(hub.web.config.redis.prefix)).toBeGreaterThan(0);
      worker = await startWorkerWithAdapters(hub.web, Object.values(adapters), {
        PUBLICATION_SWEEP_INTERVAL_SECONDS: '1',
        PUBLICATION_DEADLINE_SECONDS: '0',
      });
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await worker?.close();
      await hub?.web.close();
    }, CLOSE_TIMEOUT_MS);

    it('re-enqueues, through the sweep, publications whose queued jobs Redis lost', async () => {
      await eventually(() => hub.allIn('published')(published.id), 20_000);
      await eventually(() => hub.allIn('published')(scheduled.id), 20_000);
      for (const post of [published, scheduled]) {
        expect((await hub.publications(post.id)).map((publication) => publication.remoteId)).toEqual([
          `activitypub:reserved-${post.id}`,
          `atproto:reserved-${post.id}`,
        ]);
      }
    });
  });

  describe('with a worker', () => {
    let hub: Awaited<ReturnType<typeof startWebHub>>;
    let worker: TestHerald;
    const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };
    const post = (body: object) => hub.post(body);
    const publications = (postId: string) => hub.publications(postId);
    const allIn = (state: string) => hub.allIn(state);
    const auth = () => ({ Authorization: `Bearer ${hub.editor}` });

    beforeAll(async () => {
      hub = await startWebHub('publishing');
      worker = await startWorkerWithAdapters(hub.web, Object.values(adapters));
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await worker?.close();
      await hub?.web.close();
    }, CLOSE_TIMEOUT_MS);

    it('publishes a scheduled post at its time through a delayed job', async () => {
      const scheduledAt = Date.now() + 1_500;
      const scheduled = await post({
        kind: 'note',
        text: 'On time',
        status: 'scheduled',
        scheduledAt: new Date(scheduledAt).toISOString(),
      });
      expect(scheduled.status).toBe('scheduled');
      await eventually(() => allIn('published')(scheduled.id), 15_000);
      const body = (await hub.web.http.get(`/api/posts/${scheduled.id}`).set(auth())).body;
      expect(body.status).toBe('published');
      expect(new Date(body.publishedAt).getTime()).toBeGreaterThanOrEqual(scheduledAt - 50);
    });

    it('sends edits as updates and deletes as retractions, once each', async () => {
      const created = await post({ kind: 'note', text: 'First wording', status: 'published' });
      await eventually(() => allIn('published')(created.id));
      await hub.web.http.patch(`/api/posts/${created.id}`).set(auth()).send({ text: 'Second wording' }).expect(200);
      await eventually(async () =>
        (await publications(created.id)).every((publication) => publication.action === 'update' && publication.state === 'published'),
      );
      await hub.web.http.delete(`/api/posts/${created.id}`).set(auth()).expect(200);
      await eventually(() => allIn('retracted')(created.id));
      for (const adapter of Object.values(adapters)) {
        expect(adapter.calls.filter((call) => call.postId === created.id).map((call) => call.action)).toEqual([
          'publish',
          'update',
          'retract',
        ]);
      }
    });

    it('leaves no outbox work behind once the jobs have done it', async () => {
      const created = await post({ kind: 'note', text: 'Done and dusted', status: 'published' });
      await eventually(() => allIn('published')(created.id));
      const ids = (await publications(created.id)).map((publication) => publication.id);
      const waiting = async () =>
        (
          await hub.web.herald.app
            .get(DataSource)
            .query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'publicationId' = ANY($1)`, [ids])
        )[0].n;
      await eventually(async () => (await waiting()) === 0);
    });

    it('retracts a draft that never went out without calling the network', async () => {
      const draft = await post({ kind: 'note', text: 'Never sent' });
      await hub.web.http.delete(`/api/posts/${draft.id}`).set(auth()).expect(200);
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
      expect(byProtocol.atproto.lastError).toMatch(/^refused: /);
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
      // The worker has tried the child on every network and held it back.
      await eventually(async () =>
        (await publications(child.id)).every(
          (publication) => publication.state === 'pending' && /waiting for thread parent/.test(publication.lastError ?? ''),
        ),
      );
      const touchedThread = (adapter: RecordingAdapter) =>
        adapter.calls.filter((call) => call.postId === parent.id || call.postId === child.id).map((call) => call.postId);
      expect(touchedThread(adapters.atproto)).toEqual([]);
      await hub.web.http.post(`/api/posts/${parent.id}/publish`).set(auth()).send({}).expect(200);
      await eventually(() => allIn('published')(child.id), 30_000);
      expect(touchedThread(adapters.atproto)).toEqual([parent.id, child.id]);
    });
  });
});
