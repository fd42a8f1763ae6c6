import { jest } from '@jest/globals';
import { configureSync, type LogRecord, resetSync } from '@logtape/logtape';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { REMOTE_HTML_MAX_CHARS } from '../../src/inbox/content-sanitizer.js';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { publishedActivityPubNote, startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(120_000);

const AS = 'https://www.w3.org/ns/activitystreams';
/** Nobody listens there: a fetch Herald makes of it fails at once instead of waiting. */
const UNREACHABLE = 'http://127.0.0.62:1';

/**
 * Arbitrary and malformed activities, signed by a real fediverse server and POSTed to Herald's
 * real inboxes: Herald never answers 5xx, its handlers never throw, and whatever it stores is
 * the signer's own, on the signer's origin, within the content limit.
 */
describe('ActivityPub inbox fuzzing', () => {
  let hub: TestHerald;
  let peer: FediversePeer;
  let actorId: string;
  let postObjectId: string;
  const db = () => hub.herald.app.get(DataSource);
  /** What Fedify reported when a handler threw (it then retries the activity later). */
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    [hub, peer] = await Promise.all([startFederatedTestHerald('ap-fuzz', '127.0.0.60'), startFediversePeer('127.0.0.61')]);
    const admin = await hub.login(['admin']);
    ({ actorId, postObjectId } = await publishedActivityPubNote(hub, 'Fuzz me', { admin }));
    // Herald routes Fedify's records to its (silent) log; here they are read instead.
    const capture = (record: LogRecord) => {
      if (String(record.rawMessage).startsWith('Failed to process the incoming activity')) handlerErrors.push(record.properties.error);
    };
    configureSync({
      reset: true,
      sinks: { capture },
      loggers: [
        { category: ['fedify', 'federation', 'inbox'], sinks: ['capture'], lowestLevel: 'error' },
        { category: ['logtape', 'meta'], sinks: [], lowestLevel: 'fatal' },
      ],
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    resetSync();
    await peer?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('never answers 5xx nor fails a handler, and stores only what the signer may say', async () => {
    const bob = `${peer.url}/users/bob`;
    // Ids a hostile body might use: the signer's and its neighbour's, Herald's own, another origin's, junk.
    const url = fc.oneof(
      fc.constantFrom(peer.actorId, bob, postObjectId, actorId, `${actorId}/posts/00000000-0000-0000-0000-000000000000`),
      fc.constantFrom(`${peer.url}/notes/missing`, `${UNREACHABLE}/users/carol`, `${actorId}/inbox`),
      fc.uuid().map((uuid) => `${peer.url}/fuzz/${uuid}`),
      fc.uuid().map((uuid) => `${UNREACHABLE}/fuzz/${uuid}`),
    );
    const id = fc.oneof(
      { weight: 8, arbitrary: fc.uuid().map((uuid) => `${peer.url}/fuzz/${uuid}`) },
      { weight: 2, arbitrary: url },
      fc.string(),
      fc.constant(`${peer.url}/${'x'.repeat(3000)}`),
      fc.integer(),
      fc.constant(null),
    );
    const type = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom('Create', 'Update', 'Delete', 'Undo', 'Like', 'Announce', 'Follow', 'Move', 'Flag', 'Block'),
      },
      fc.constant('Note'),
      fc.constantFrom('Reject', 'Add', 'EmojiReact', 'Note', 'Article', 'Person', 'Tombstone', 'Question'),
      fc.array(fc.constantFrom('Like', 'Note', 'Undo'), { maxLength: 2 }),
      fc.string(),
    );
    const content = fc.oneof(
      { weight: 4, arbitrary: fc.string() },
      fc.constantFrom('<p>hi <a href="javascript:alert(1)">x</a><script>alert(1)</script></p>', '<img src=x onerror=alert(1)>'),
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 4 }).map((text) => `<p>${text.repeat(30_000)}</p>`) },
      fc.integer(),
      fc.dictionary(fc.string(), fc.string()),
    );
    const date = fc
      .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') })
      .map((value) => value.toISOString());
    const { node } = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 3, arbitrary: url },
        fc.record(
          {
            id,
            type,
            actor: fc.oneof({ weight: 3, arbitrary: fc.constant(peer.actorId) }, url, tie('node')),
            attributedTo: fc.oneof({ weight: 3, arbitrary: fc.constant(peer.actorId) }, url, tie('node')),
            object: fc.oneof({ weight: 2, arbitrary: fc.constant(postObjectId) }, tie('node')),
            target: tie('node'),
            inReplyTo: fc.oneof(fc.constant(postObjectId), url),
            content,
            alsoKnownAs: fc.array(url, { maxLength: 2 }),
            inbox: url,
            tag: fc.array(fc.record({ type: fc.constantFrom('Mention', 'Hashtag', 'Emoji'), href: url, name: fc.string() }), {
              maxLength: 2,
            }),
            published: fc.oneof(
              fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
              fc.string(),
            ),
          },
          { requiredKeys: [] },
        ),
        { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
      ),
    }));
    const activity = fc.record(
      {
        '@context': fc.oneof(
          { weight: 6, arbitrary: fc.constant(AS) },
          fc.constant([AS, `${UNREACHABLE}/context.jsonld`]),
          fc.constant([AS, 'https://w3id.org/security/v1', { sensitive: 'as:sensitive' }]),
          fc.anything({ maxDepth: 1 }),
        ),
        id,
        type,
        actor: fc.oneof({ weight: 8, arbitrary: fc.constant(peer.actorId) }, url, node),
        object: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(postObjectId, actorId, peer.actorId) }, { weight: 3, arbitrary: node }),
        target: node,
        to: fc.oneof(fc.constant(`${AS}#Public`), url),
        published: fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          fc.string(),
        ),
        content,
        signature: fc.record({ type: fc.constant('RsaSignature2017'), creator: url, signatureValue: fc.base64String() }),
      },
      { requiredKeys: ['@context', 'id', 'type', 'actor', 'object'] },
    );
    // Well-formed activities with one twist or none: what reaches the handlers.
    const note = fc.record(
      {
        id,
        type: fc.constantFrom('Note', 'Article', 'Question'),
        attributedTo: fc.oneof({ weight: 4, arbitrary: fc.constant(peer.actorId) }, url),
        inReplyTo: fc.oneof({ weight: 3, arbitrary: fc.constant(postObjectId) }, url),
        content,
        tag: fc.array(fc.record({ type: fc.constant('Mention'), href: fc.oneof(fc.constant(actorId), url) }), { maxLength: 2 }),
      },
      { requiredKeys: ['id', 'type'] },
    );
    const inner = fc.record(
      {
        id,
        type: fc.constantFrom('Like', 'Announce', 'Follow', 'Create'),
        actor: fc.oneof({ weight: 3, arbitrary: fc.constant(peer.actorId) }, url),
        object: fc.oneof(fc.constantFrom(postObjectId, actorId), url),
      },
      { requiredKeys: ['type'] },
    );
    const person = fc.record({
      id: url,
      type: fc.constant('Person'),
      alsoKnownAs: fc.array(url, { maxLength: 2 }),
      inbox: url,
      preferredUsername: fc.string(),
    });
    const plausible = fc.record(
      {
        '@context': fc.constant(AS),
        id,
        type: fc.constantFrom('Create', 'Update', 'Delete', 'Undo', 'Like', 'Announce', 'Follow', 'Move', 'Flag', 'Block'),
        actor: fc.oneof({ weight: 6, arbitrary: fc.constant(peer.actorId) }, url),
        object: fc.oneof(fc.constantFrom(postObjectId, actorId, peer.actorId), url, note, inner, person),
        target: fc.oneof(url, person),
        content,
        published: date,
      },
      { requiredKeys: ['@context', 'id', 'type', 'actor', 'object'] },
    );
    const body = fc.oneof(
      { weight: 10, arbitrary: plausible.map((value) => JSON.stringify(value)) },
      { weight: 6, arbitrary: activity.map((value) => JSON.stringify(value)) },
      fc.json(),
      fc.string(),
      fc.constant(`{"@context":"${AS}","type":"Like","actor":"${peer.actorId}","object":`),
    );
    const inbox = fc.constantFrom(`${actorId}/inbox`, `${hub.url}/inbox`);

    let cases = 0;
    const statuses = new Map<number, number>();
    // A few bodies at once per run, as servers deliver concurrently (and to try more in the time).
    const batch = fc.array(fc.tuple(body, inbox), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(batch, async (deliveries) => {
        const answers = await Promise.all(deliveries.map(([sent, to]) => peer.postSigned(to, sent)));
        cases += answers.length;
        for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(answers.filter((status) => status >= 500)).toEqual([]);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 25_000, endOnFailure: true },
    );
    await queuesIdle(hub, FEDERATION_QUEUES, 60_000);

    const stored = (await db().query(`SELECT remote_id, author_id, kind, content_html FROM interaction`)) as Array<Record<string, string>>;
    const followers = (await db().query(`SELECT remote_actor_id, inbox_url FROM follower`)) as Array<Record<string, string>>;
    // A fetch that failed (an unreachable server) is retried later, as it should be; anything else is a bug.
    const bugs = handlerErrors.filter(
      (error) => !/FetchError|fetch failed|ECONNREFUSED/.test(`${String(error)} ${String((error as Error)?.cause)}`),
    );
    console.log(
      `fuzzed ${cases} inbound bodies: answers ${[...statuses].map(([status, count]) => `${status}×${count}`).join(' ')}; ` +
        `stored ${stored.length} interactions, ${followers.length} followers; handlers failed ${handlerErrors.length} times, ${bugs.length} not on a failed fetch`,
    );
    expect(cases).toBeGreaterThan(50);
    for (const row of stored) {
      expect(row.author_id).toBe(peer.actorId);
      expect(new URL(row.remote_id).origin).toBe(peer.url);
      expect((row.content_html ?? '').length).toBeLessThanOrEqual(REMOTE_HTML_MAX_CHARS);
    }
    for (const row of followers) {
      expect([peer.actorId, bob]).toContain(row.remote_actor_id);
      if (row.inbox_url) expect(new URL(row.inbox_url).origin).toBe(peer.url);
    }
    expect(bugs).toEqual([]);
    await hub.http.get('/health/live').expect(200);
  });
});
