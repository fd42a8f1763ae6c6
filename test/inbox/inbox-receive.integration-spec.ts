import pg from 'pg';
import { EventLogRepository } from '../../src/event-log/event-log.repository.js';
import { InboxModule } from '../../src/inbox/inbox.module.js';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { InteractionsRepository } from '../../src/inbox/interactions.repository.js';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { track } from '../support/leftovers.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';
import { apReply, atReply } from './inbox-fixtures.js';

describe('receiving interactions: group commit and cached rules, against PostgreSQL', () => {
  let services: ServiceModule;
  let inbox: InboxService;
  /** Another connection, as the web process or a moderator's SQL would write. */
  let elsewhere: pg.Client;
  let profileId: string;

  const stored = async (remoteId: string) =>
    (await elsewhere.query(`SELECT id, xmin::text AS transaction FROM interaction WHERE remote_id = $1`, [remoteId])).rows;
  const eventsFor = async (ids: string[]) =>
    (await services.get(EventLogRepository).listAfter('inbox', '0', 10_000)).filter((event) => ids.includes(event.subjectId!));
  const byTroll = (overrides = {}) =>
    apReply(profileId, { author: { id: 'https://troll.example/users/t', handle: '@t@troll.example' }, ...overrides });

  beforeAll(async () => {
    services = await track(startServiceModule('receive', [InboxModule]));
    inbox = services.get(InboxService);
    const profiles = services.get(ProfilesRepository);
    profileId = await profiles.transaction(
      async (manager) =>
        (await profiles.insert({ handle: 'eu', domain: 'eu.example', displayName: 'EU', protocols: ['activitypub'] }, manager)).id,
    );
    elsewhere = new pg.Client({ connectionString: services.database.url });
    await elsewhere.connect();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await elsewhere?.end();
    await services?.close();
  }, CLOSE_TIMEOUT_MS);

  it('stores concurrent receives in one transaction, each caller getting its own interaction and one event, in call order', async () => {
    const replies = Array.from({ length: 20 }, (_, index) => (index % 2 ? atReply(profileId) : apReply(profileId)));
    const interactions = await Promise.all(replies.map((reply) => inbox.receive(reply)));
    expect(interactions.map((interaction) => interaction?.remoteId)).toEqual(replies.map((reply) => reply.remoteId));
    expect(interactions[0]).toMatchObject({
      state: 'new',
      labels: [],
      contentText: 'Hello from the fediverse',
      authorDomain: 'mastodon.example',
    });
    expect(interactions[0]!.receivedAt).toBeInstanceOf(Date);
    const rows = (await Promise.all(replies.map((reply) => stored(reply.remoteId)))).flat();
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((row) => row.transaction)).size).toBe(1);
    const events = await eventsFor(interactions.map((interaction) => interaction!.id));
    expect(events.map((event) => event.subjectId)).toEqual(interactions.map((interaction) => interaction!.id));
    expect(events.map((event) => event.type)).toEqual(Array(20).fill('interaction.received'));
  });

  it('stores an interaction delivered twice in one write once: the second caller gets null', async () => {
    const reply = apReply(profileId);
    const [first, second] = await Promise.all([inbox.receive(reply), inbox.receive({ ...reply })]);
    expect(first).toMatchObject({ remoteId: reply.remoteId });
    expect(second).toBeNull();
    expect(await stored(reply.remoteId)).toHaveLength(1);
    expect(await eventsFor([first!.id])).toHaveLength(1);
    expect(await inbox.receive(reply)).toBeNull();
  });

  it('stores the same row given twice to one insert once', async () => {
    const interactions = services.get(InteractionsRepository);
    const values = {
      profileId,
      protocol: 'activitypub' as const,
      kind: 'like' as const,
      remoteId: 'https://x.example/likes/1',
      authorId: 'https://x.example/u',
    };
    expect(await interactions.insertNew([values, { ...values }])).toHaveLength(1);
    expect(await stored(values.remoteId)).toHaveLength(1);
  });

  it('fails only the call whose row the database refuses: the others of its write are stored, and it gets the error', async () => {
    const good = [apReply(profileId), atReply(profileId)];
    const unknownProfile = apReply('00000000-0000-4000-8000-000000000000');
    const [first, refused, second] = await Promise.allSettled([
      inbox.receive(good[0]),
      inbox.receive(unknownProfile),
      inbox.receive(good[1]),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: expect.objectContaining({ remoteId: good[0].remoteId }) });
    expect(second).toMatchObject({ status: 'fulfilled', value: expect.objectContaining({ remoteId: good[1].remoteId }) });
    expect(refused).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ message: expect.stringMatching(/foreign key/) }),
    });
    expect(await stored(unknownProfile.remoteId)).toHaveLength(0);
    const ids = [first, second].map((outcome) => (outcome as PromiseFulfilledResult<{ id: string }>).value.id);
    expect(await eventsFor(ids)).toHaveLength(2);
  });

  it('gives every caller the error when none of its write can be stored', async () => {
    const calls = [1, 2].map(() => inbox.receive(apReply('00000000-0000-4000-8000-000000000000')));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('refuses an author from the first receive after a block is committed on another connection, and again takes it once unblocked', async () => {
    expect(await inbox.receive(byTroll())).not.toBeNull();
    await elsewhere.query(`INSERT INTO block (profile_id, kind, value) VALUES ($1, 'domain', 'troll.example')`, [profileId]);
    expect(await inbox.receive(byTroll())).toBeNull();
    expect(await inbox.receive(byTroll({ author: { id: 'https://media.troll.example/users/x' } }))).toBeNull();
    await elsewhere.query(`DELETE FROM block WHERE value = 'troll.example'`);
    expect(await inbox.receive(byTroll())).not.toBeNull();
    await elsewhere.query(`INSERT INTO block (kind, protocol, value) VALUES ('account', 'activitypub', 'https://troll.example/users/t')`);
    const [blocked, other] = await Promise.all([inbox.receive(byTroll()), inbox.receive(apReply(profileId))]);
    expect(blocked).toBeNull();
    expect(other).not.toBeNull();
  });

  it('applies a keyword filter committed on another connection from the next receive on', async () => {
    const asking = () => atReply(profileId, { text: 'Where is my refund?' });
    expect(await inbox.receive(asking())).toMatchObject({ labels: [], state: 'new' });
    await elsewhere.query(`INSERT INTO keyword_filter (profile_id, pattern, action, label) VALUES ($1, 'refund', 'label', 'billing')`, [
      profileId,
    ]);
    expect(await inbox.receive(asking())).toMatchObject({ labels: ['billing'], state: 'new' });
    await elsewhere.query(`INSERT INTO keyword_filter (profile_id, pattern, action) VALUES ($1, 'where', 'hide')`, [profileId]);
    expect(await inbox.receive(asking())).toMatchObject({ labels: ['billing'], state: 'hidden' });
  });
});
