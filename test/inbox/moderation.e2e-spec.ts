import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AudienceService } from '../../src/audience/audience.service.js';
import { FollowersRepository } from '../../src/audience/followers.repository.js';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { BlocksRepository } from '../../src/moderation-rules/blocks.repository.js';
import { QUEUES } from '../../src/queue/queues.js';
import { eventually } from '../support/eventually.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { apReply, atReply, createProfile } from './inbox-fixtures.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('moderation: blocks and keyword filters', () => {
  let hub: TestHerald;
  let inbox: InboxService;
  let admin: string;
  let moderator: string;
  let analyst: string;
  let profileId: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const db = () => hub.herald.app.get(DataSource);
  const stateOf = async (id: string) => (await db().query(`SELECT state FROM interaction WHERE id = $1`, [id]))[0].state;

  const follow = (domain: string, name: string, protocol: 'activitypub' | 'atproto' = 'activitypub') => {
    const actorId = protocol === 'activitypub' ? `https://${domain}/users/${name}` : `did:plc:${name}`;
    return hub.herald.app.get(AudienceService).followed(
      {
        profileId,
        protocol,
        remoteActorId: actorId,
        handle: `@${name}@${domain}`,
        displayName: name,
        avatarUrl: null,
        profileUrl: null,
        inboxUrl: `https://${domain}/users/${name}/inbox`,
        sharedInboxUrl: `https://${domain}/inbox`,
        domain,
        followId: `https://${domain}/follows/${name}`,
      },
      { profileId, protocol, remoteId: `https://${domain}/follows/${name}`, author: { id: actorId, domain } },
    );
  };

  beforeAll(async () => {
    // Workers off: the block notice stays queued where the test can see it.
    hub = await startTestHerald('moderation', { HERALD_ROLE: 'web' });
    inbox = hub.herald.app.get(InboxService);
    admin = await hub.login(['admin']);
    moderator = await hub.login(['moderator']);
    analyst = await hub.login(['analyst']);
    profileId = await createProfile(hub, admin, 'eu');
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('defederates a domain: followers there end, its interactions hide, nothing more comes in or goes out', async () => {
    await follow('bad.example', 'troll');
    await follow('media.bad.example', 'sub');
    await follow('good.example', 'friend');
    const past = await inbox.receive(apReply(profileId, { author: { id: 'https://bad.example/users/troll' } }));
    const fromSubdomain = await inbox.receive(apReply(profileId, { author: { id: 'https://media.bad.example/users/sub' } }));
    const innocent = await inbox.receive(apReply(profileId, { author: { id: 'https://notbad.example/users/x' } }));

    const response = await hub.http
      .post(`/api/profiles/${profileId}/blocks`)
      .set(auth(moderator))
      .send({ kind: 'domain', domain: 'Bad.Example', reason: 'harassment' })
      .expect(201);
    // Two replies and the two follows, which reached the inbox too.
    expect(response.body).toMatchObject({ kind: 'domain', value: 'bad.example', interactionsHidden: 4 });

    // Outbound: only the good follower is still an audience, and delivery skips the domain.
    const followers = await hub.herald.app.get(FollowersRepository).listActive(profileId, 'activitypub', 100);
    expect(followers.map((follower) => follower.domain)).toEqual(['good.example']);
    expect(await hub.herald.app.get(BlocksRepository).blockedDomains(profileId)).toEqual(['bad.example']);
    // Inbound: refused, at the adapters' check and at the inbox itself.
    expect(
      await hub.herald.app
        .get(BlocksRepository)
        .isBlocked({ profileId, protocol: 'activitypub', actorId: 'https://x.bad.example/u', domain: 'x.bad.example' }),
    ).toBe(true);
    expect(await inbox.receive(apReply(profileId, { author: { id: 'https://bad.example/users/troll' } }))).toBeNull();
    expect(await inbox.receive(apReply(profileId, { author: { id: 'https://deep.media.bad.example/users/new' } }))).toBeNull();
    await follow('bad.example', 'again');
    const after = await hub.herald.app.get(FollowersRepository).listActive(profileId, 'activitypub', 100);
    expect(after.map((follower) => follower.domain)).toEqual(['good.example']);

    expect(await stateOf(past!.id)).toBe('hidden');
    expect(await stateOf(fromSubdomain!.id)).toBe('hidden');
    expect(await stateOf(innocent!.id)).toBe('new');
    const audit = await db().query(`SELECT action, details FROM audit_event WHERE subject_id = $1`, [response.body.id]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'moderation.block_domain',
        details: expect.objectContaining({ value: 'bad.example', followersEnded: 2 }),
      }),
    ]);
    await hub.http
      .post(`/api/profiles/${profileId}/blocks`)
      .set(auth(moderator))
      .send({ kind: 'domain', domain: 'bad.example' })
      .expect(409);
  });

  it('blocks an account: its interactions hide, it is refused, and the network notice is queued as a job', async () => {
    await follow('bsky.example', 'spammer', 'atproto');
    const earlier = await inbox.receive(atReply(profileId, { author: { id: 'did:plc:spammer', handle: 'spammer.bsky.example' } }));
    const other = await inbox.receive(atReply(profileId));
    const response = await hub.http
      .post(`/api/profiles/${profileId}/blocks`)
      .set(auth(moderator))
      .send({ kind: 'account', protocol: 'atproto', actorId: 'did:plc:spammer' })
      .expect(201);
    // The reply and the follow.
    expect(response.body).toMatchObject({ followersEnded: 1, interactionsHidden: 2 });
    expect(await stateOf(earlier!.id)).toBe('hidden');
    expect(await stateOf(other!.id)).toBe('new');
    expect(await inbox.receive(atReply(profileId, { author: { id: 'did:plc:spammer' } }))).toBeNull();
    const queue = hub.herald.app.get<Queue>(getQueueToken(QUEUES.blockDelivery));
    // The notice is outbox work, enqueued just after the commit.
    const noticeQueued = (action: string) => async () =>
      (await queue.getJobs(['waiting', 'delayed', 'active'])).some(
        (job) => job.data.action === action && job.data.profileId === profileId && job.data.actorId === 'did:plc:spammer',
      );
    await eventually(noticeQueued('block'));

    await hub.http.delete(`/api/profiles/${profileId}/blocks/${response.body.id}`).set(auth(moderator)).expect(204);
    expect(await inbox.receive(atReply(profileId, { author: { id: 'did:plc:spammer' } }))).not.toBeNull();
    await eventually(noticeQueued('unblock'));
  });

  it('keeps hub-wide blocks for admins, and applies them to every profile', async () => {
    await hub.http.post('/api/blocks').set(auth(moderator)).send({ kind: 'domain', domain: 'spam.example' }).expect(403);
    await hub.http.post('/api/blocks').set(auth(admin)).send({ kind: 'domain', domain: 'spam.example' }).expect(201);
    const second = await createProfile(hub, admin, 'second');
    expect(await inbox.receive(apReply(second, { author: { id: 'https://spam.example/users/a' } }))).toBeNull();
    expect((await hub.http.get('/api/blocks').set(auth(analyst)).expect(200)).body.map((block: { value: string }) => block.value)).toEqual([
      'spam.example',
    ]);
  });

  it('labels or hides new interactions by keyword before they are stored', async () => {
    const label = await hub.http
      .post(`/api/profiles/${profileId}/keyword-filters`)
      .set(auth(moderator))
      .send({ pattern: 'refund', action: 'label', label: 'billing' })
      .expect(201);
    await hub.http
      .post(`/api/profiles/${profileId}/keyword-filters`)
      .set(auth(moderator))
      .send({ pattern: 'free crypto', action: 'hide' })
      .expect(201);
    const labelled = await inbox.receive(apReply(profileId, { html: '<p>I want a <b>REFUND</b></p>' }));
    const hidden = await inbox.receive(atReply(profileId, { text: 'Get FREE   crypto now' }));
    const plain = await inbox.receive(atReply(profileId, { text: 'refunding is not a word match' }));
    expect(labelled).toMatchObject({ state: 'new', labels: ['billing'] });
    expect(hidden).toMatchObject({ state: 'hidden', labels: [] });
    expect(plain).toMatchObject({ state: 'new', labels: [] });
    const listed = await hub.http.get(`/api/profiles/${profileId}/inbox`).query({ label: 'billing' }).set(auth(analyst)).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([labelled!.id]);

    await hub.http.delete(`/api/profiles/${profileId}/keyword-filters/${label.body.id}`).set(auth(moderator)).expect(204);
    expect(await inbox.receive(apReply(profileId, { html: '<p>refund</p>' }))).toMatchObject({ labels: [] });
    const audit = await db().query(`SELECT action FROM audit_event WHERE action LIKE 'moderation.keyword%' ORDER BY id`);
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'moderation.keyword_filter_add',
      'moderation.keyword_filter_add',
      'moderation.keyword_filter_remove',
    ]);
  });

  it('refuses moderation by analysts and bad input, storing nothing', async () => {
    const before = (await db().query(`SELECT count(*)::int AS n FROM block`))[0].n;
    await hub.http.post(`/api/profiles/${profileId}/blocks`).set(auth(analyst)).send({ kind: 'domain', domain: 'x.example' }).expect(403);
    await hub.http.post(`/api/profiles/${profileId}/keyword-filters`).set(auth(analyst)).send({ pattern: 'x', action: 'hide' }).expect(403);
    const cases: Array<[object, string]> = [
      [{ kind: 'domain', domain: 'not a domain' }, 'domain'],
      [{ kind: 'account', protocol: 'atproto' }, 'actorId'],
      [{ kind: 'account', protocol: 'smtp', actorId: 'did:plc:x' }, 'protocol'],
      [{ kind: 'account', protocol: 'activitypub', actorId: 'javascript:alert(1)' }, 'actorId'],
      [{ kind: 'everything' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const response = await hub.http.post(`/api/profiles/${profileId}/blocks`).set(auth(moderator)).send(body);
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(Object.keys(response.body.fields ?? {})).toContain(field);
    }
    await hub.http
      .post(`/api/profiles/${profileId}/keyword-filters`)
      .set(auth(moderator))
      .send({ pattern: 'x y', action: 'label' })
      .expect(400);
    expect((await db().query(`SELECT count(*)::int AS n FROM block`))[0].n).toBe(before);
  });
});
