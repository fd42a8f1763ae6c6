import pg from 'pg';
import { DataSource } from 'typeorm';
import { EventLogRetention } from '../../src/event-log/event-log-retention.js';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { openEventStream, type SseConnection } from '../support/sse-client.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { apReply, atReply, createProfile } from './inbox-fixtures.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('live inbox updates over Server-Sent Events', () => {
  let hub: TestHerald;
  let inbox: InboxService;
  let moderator: string;
  let analyst: string;
  let profileId: string;
  let otherProfileId: string;
  const open: SseConnection[] = [];

  const connect = async (headers: Record<string, string>, profile = profileId) => {
    const connection = await openEventStream(`${hub.url}/api/profiles/${profile}/inbox/stream`, headers);
    open.push(connection);
    return connection;
  };
  const ids = (events: Array<{ data: string }>) => events.map((event) => JSON.parse(event.data).id as string);

  beforeAll(async () => {
    hub = await startTestHerald('inboxsse', { HERALD_ROLE: 'web' });
    inbox = hub.herald.app.get(InboxService);
    const admin = await hub.login(['admin']);
    moderator = await hub.login(['moderator']);
    analyst = await hub.login(['analyst']);
    profileId = await createProfile(hub, admin, 'eu');
    otherProfileId = await createProfile(hub, admin, 'other');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    open.forEach((connection) => connection.close());
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('streams new interactions and state changes, and a reconnect with Last-Event-ID misses nothing and repeats nothing', async () => {
    // The console's EventSource sends the session cookie, not a header.
    const first = await connect({ Cookie: `herald_session=${analyst}` });
    expect(first.status).toBe(200);
    const a = await inbox.receive(apReply(profileId));
    await inbox.receive(apReply(otherProfileId));
    const b = await inbox.receive(atReply(profileId));
    const seen = await first.waitFor(2);
    expect(seen.map((event) => event.event)).toEqual(['interaction.received', 'interaction.received']);
    expect(ids(seen)).toEqual([a!.id, b!.id]);
    first.close();

    // While the console is away: two arrivals and a moderator's change.
    const c = await inbox.receive(atReply(profileId));
    await hub.http.patch(`/api/inbox/${a!.id}`).set('Authorization', `Bearer ${moderator}`).send({ state: 'resolved' }).expect(200);
    const d = await inbox.receive(apReply(profileId));

    const second = await connect({ Cookie: `herald_session=${analyst}`, 'Last-Event-ID': seen[1].id! });
    const replayed = await second.waitFor(3);
    expect(replayed.map((event) => [event.event, JSON.parse(event.data).id, JSON.parse(event.data).state])).toEqual([
      ['interaction.received', c!.id, 'new'],
      ['interaction.updated', a!.id, 'resolved'],
      ['interaction.received', d!.id, 'new'],
    ]);
    // ...and then live, in the same connection.
    const e = await inbox.receive(atReply(profileId));
    const all = await second.waitFor(4);
    expect(ids(all)).toEqual([c!.id, a!.id, d!.id, e!.id]);
    const eventIds = all.map((event) => BigInt(event.id!));
    expect([...eventIds].sort((x, y) => (x < y ? -1 : 1))).toEqual(eventIds);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    // A sentinel: whatever the stream would repeat would come before it.
    const sentinel = await inbox.receive(apReply(profileId));
    await second.waitFor(5);
    expect(ids(second.events)).toEqual([c!.id, a!.id, d!.id, e!.id, sentinel!.id]);
  });

  it('replays and goes live without gap or duplicate while events keep arriving during the replay', async () => {
    const backlog = await Promise.all(Array.from({ length: 20 }, () => inbox.receive(atReply(profileId))));
    const stream = await connect({ Authorization: `Bearer ${analyst}`, 'Last-Event-ID': '0' });
    const concurrent = await Promise.all(
      Array.from({ length: 30 }, (_, index) => inbox.receive((index % 2 ? apReply : atReply)(profileId))),
    );
    const [{ n: total }] = await hub.herald.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM event_log WHERE topic = 'inbox' AND profile_id = $1`, [profileId]);
    const events = await stream.waitFor(total, 10_000);
    const eventIds = events.map((event) => BigInt(event.id!));
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect([...eventIds].sort((x, y) => (x < y ? -1 : 1))).toEqual(eventIds);
    const delivered = new Set(ids(events));
    for (const interaction of [...backlog, ...concurrent]) expect(delivered.has(interaction!.id)).toBe(true);
    // A sentinel: whatever the stream would repeat would come before it.
    const sentinel = await inbox.receive(apReply(profileId));
    await stream.waitFor(total + 1);
    expect(stream.events).toHaveLength(total + 1);
    expect(ids(stream.events).at(-1)).toBe(sentinel!.id);
  });

  it('hears events another process wrote to the log (LISTEN/NOTIFY)', async () => {
    const stream = await connect({ Authorization: `Bearer ${analyst}` });
    // What a worker process's InboxEvents does: append to the log and NOTIFY, over its own connection.
    const worker = new pg.Client({ connectionString: hub.database.url });
    await worker.connect();
    await worker.query('BEGIN');
    const [row] = (
      await worker.query(
        `INSERT INTO event_log (topic, profile_id, type, subject_id, payload)
         VALUES ('inbox', $1, 'interaction.received', NULL, '{"id":"from-worker"}') RETURNING id`,
        [profileId],
      )
    ).rows;
    await worker.query(`SELECT pg_notify('event_log', 'inbox')`);
    await worker.query('COMMIT');
    await worker.end();
    const [event] = await stream.waitFor(1);
    expect(event).toMatchObject({ id: String(row.id), event: 'interaction.received' });
    expect(JSON.parse(event.data)).toEqual({ id: 'from-worker' });
  });

  it('keeps streaming after the database drops its LISTEN connection, without losing what came meanwhile', async () => {
    const stream = await connect({ Authorization: `Bearer ${analyst}` });
    const admin = new pg.Client({ connectionString: hub.database.url });
    await admin.connect();
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN event_log%'`,
    );
    await admin.end();
    expect(killed.rowCount).toBe(1);
    const during = await inbox.receive(apReply(profileId));
    const [event] = await stream.waitFor(1, 8_000);
    expect(JSON.parse(event.data).id).toBe(during!.id);
  });

  it('prunes events past retention and still resumes from a kept one', async () => {
    const db = hub.herald.app.get(DataSource);
    const old = await inbox.receive(apReply(profileId));
    const kept = await inbox.receive(atReply(profileId));
    const after = await inbox.receive(apReply(profileId));
    const eventOf = async (interactionId: string) =>
      String((await db.query(`SELECT id FROM event_log WHERE subject_id = $1`, [interactionId]))[0].id);
    // Everything up to `old` is from a week and a day ago; the rest is fresh.
    await db.query(`UPDATE event_log SET created_at = now() - interval '8 days' WHERE id <= $1`, [await eventOf(old!.id)]);
    const keptEvent = await eventOf(kept!.id);

    const deleted = await hub.herald.app.get(EventLogRetention).prune();
    expect(deleted).toBeGreaterThan(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM event_log WHERE created_at < now() - interval '7 days'`))[0].n).toBe(0);
    const resumed = await connect({ Authorization: `Bearer ${analyst}`, 'Last-Event-ID': keptEvent });
    const [event] = await resumed.waitFor(1);
    expect(JSON.parse(event.data).id).toBe(after!.id);
  });

  it('needs a session and a well-formed Last-Event-ID', async () => {
    expect((await connect({})).status).toBe(401);
    expect((await connect({ Authorization: `Bearer ${analyst}`, 'Last-Event-ID': 'abc' })).status).toBe(400);
    expect((await connect({ Authorization: `Bearer ${analyst}` }, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
