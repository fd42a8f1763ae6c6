import type { Profile } from '../../src/profiles/profile.entity.js';
import { InboxService } from '../../src/inbox/inbox.service.js';
import type { BlockTarget, PublicationRef, PublishRequest } from '../../src/publishing/protocol-adapter.js';
import { eventually } from '../support/eventually.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { openEventStream } from '../support/sse-client.js';
import { startTestHerald, startWorkerWithAdapters, type TestHerald } from '../support/test-herald.js';
import { apReply, atReply, createProfile } from './inbox-fixtures.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

/** Also records what an answer hands the adapter (the interaction it replies to) and block notices. */
class AnswerRecordingAdapter extends RecordingAdapter {
  readonly replies: Array<{ postId: string; replyTo: PublishRequest['replyTo'] }> = [];
  readonly blocks: Array<{ action: string; profileId: string; actorId: string }> = [];

  async publish(request: PublishRequest): Promise<PublicationRef> {
    this.replies.push({ postId: request.post.id, replyTo: request.replyTo });
    return super.publish(request);
  }

  async block(profile: Profile, target: BlockTarget): Promise<void> {
    this.blocks.push({ action: 'block', profileId: profile.id, actorId: target.actorId });
  }

  async unblock(profile: Profile, target: BlockTarget): Promise<void> {
    this.blocks.push({ action: 'unblock', profileId: profile.id, actorId: target.actorId });
  }
}

describe('answers and blocks reach the adapter of the right network, across web and worker', () => {
  let web: TestHerald;
  let worker: TestHerald;
  let moderator: string;
  let profileId: string;
  const adapters = { activitypub: new AnswerRecordingAdapter('activitypub'), atproto: new AnswerRecordingAdapter('atproto') };
  const auth = () => ({ Authorization: `Bearer ${moderator}` });

  beforeAll(async () => {
    web = await startTestHerald('answers', { HERALD_ROLE: 'web' });
    worker = await startWorkerWithAdapters(web, Object.values(adapters));
    const admin = await web.login(['admin']);
    moderator = await web.login(['moderator']);
    profileId = await createProfile(web, admin, 'eu');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await web?.close();
  }, CLOSE_TIMEOUT_MS);

  it('publishes a Bluesky answer only through the AT adapter, with the interaction and its reply refs', async () => {
    const received = atReply(profileId);
    const interaction = await web.herald.app.get(InboxService).receive(received);
    const answer = await web.http
      .post(`/api/inbox/${interaction!.id}/answer`)
      .set(auth())
      .send({ text: 'Thank you for asking.' })
      .expect(201);
    const reply = await eventually(() => adapters.atproto.replies.find((call) => call.postId === answer.body.id));
    expect(reply!.replyTo).toMatchObject({ id: interaction!.id, protocol: 'atproto', replyRefs: received.replyRefs });
    expect(adapters.activitypub.calls.filter((call) => call.postId === answer.body.id)).toEqual([]);
    const detail = await eventually(async () => {
      const { body } = await web.http.get(`/api/inbox/${interaction!.id}`).set(auth()).expect(200);
      return body.answers[0]?.publications[0]?.state === 'published' && body;
    });
    expect(detail.answers[0].publications).toEqual([
      expect.objectContaining({ protocol: 'atproto', state: 'published', remoteId: expect.stringMatching(/^atproto:/) }),
    ]);
  });

  it('publishes a fediverse answer only through the AP adapter', async () => {
    const interaction = await web.herald.app.get(InboxService).receive(apReply(profileId));
    const answer = await web.http.post(`/api/inbox/${interaction!.id}/answer`).set(auth()).send({ text: 'Noted, thanks.' }).expect(201);
    await eventually(() =>
      adapters.activitypub.replies.some((call) => call.postId === answer.body.id && call.replyTo?.id === interaction!.id),
    );
    expect(adapters.atproto.calls.filter((call) => call.postId === answer.body.id)).toEqual([]);
  });

  it('sends an account block and its lifting to the network from the worker', async () => {
    const block = await web.http
      .post(`/api/profiles/${profileId}/blocks`)
      .set(auth())
      .send({ kind: 'account', protocol: 'activitypub', actorId: 'https://mastodon.example/users/troll' })
      .expect(201);
    await eventually(() =>
      adapters.activitypub.blocks.some(
        (call) => call.action === 'block' && call.actorId === 'https://mastodon.example/users/troll' && call.profileId === profileId,
      ),
    );
    await web.http.delete(`/api/profiles/${profileId}/blocks/${block.body.id}`).set(auth()).expect(204);
    await eventually(() => adapters.activitypub.blocks.some((call) => call.action === 'unblock'));
    expect(adapters.atproto.blocks).toEqual([]);
  });

  it('streams to the web console what arrived in the worker process', async () => {
    const stream = await openEventStream(`${web.url}/api/profiles/${profileId}/inbox/stream`, auth());
    try {
      // AT ingest polls in the worker: its InboxService is another process's.
      const polled = await worker.herald.app.get(InboxService).receive(atReply(profileId));
      const [event] = await stream.waitFor(1);
      expect(event.event).toBe('interaction.received');
      expect(JSON.parse(event.data).id).toBe(polled!.id);
    } finally {
      stream.close();
    }
  });
});
