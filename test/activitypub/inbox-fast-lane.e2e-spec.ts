import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { FederationHost } from '../../src/protocols/activitypub/federation-host.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { MISSKEY_CONTEXT, startRawActivityPubSender, type RawActivityPubSender } from '../support/raw-activitypub-sender.js';
import { publishedActivityPubNote, startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(60_000);

/**
 * The inbox's fast lane (inbox-fast-lane.ts) through Herald's real HTTP inbox: activities signed
 * draft-cavage by a key Fedify has verified once are checked with the imported key and queued;
 * whatever does not verify there goes to Fedify's handler, which refuses it as before.
 */
describe('ActivityPub inbox fast lane', () => {
  let hub: TestHerald;
  let sender: RawActivityPubSender;
  let actorId: string;
  let postObjectId: string;
  const db = () => hub.herald.app.get(DataSource);
  const lane = () => hub.herald.app.get(FederationHost).fastLane;
  const rows = async (remoteId: string) => (await db().query(`SELECT id FROM interaction WHERE remote_id = $1`, [remoteId])).length;
  const sharedInbox = () => `${hub.url}/inbox`;
  const like = (username: string) => {
    const actor = sender.actor(username).id;
    return { '@context': MISSKEY_CONTEXT, id: `${actor}/likes/${randomUUID()}`, type: 'Like', actor, object: postObjectId };
  };

  beforeAll(async () => {
    [hub, sender] = await Promise.all([
      startFederatedTestHerald('ap-fastlane', '127.0.0.80'),
      startRawActivityPubSender('127.0.0.81', ['alice', 'mallory']),
    ]);
    const admin = await hub.login(['admin']);
    ({ actorId, postObjectId } = await publishedActivityPubNote(hub, 'Like me', { admin }));
    // Alice's key becomes known: Fedify's verifier checks her first request.
    const first = like('alice');
    expect(await sender.send('alice', sharedInbox(), first)).toBe(202);
    await eventually(() => rows(first.id));
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await sender?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('takes a Like signed by a known key, at the shared inbox and the profile inbox, and stores each once', async () => {
    const before = lane().counts.accepted;
    const [shared, personal] = [like('alice'), like('alice')];
    expect(await sender.send('alice', sharedInbox(), shared)).toBe(202);
    expect(await sender.send('alice', `${actorId}/inbox`, personal)).toBe(202);
    expect(lane().counts.accepted).toBe(before + 2);
    // Delivered again (a retry after a lost answer): still one row.
    expect(await sender.send('alice', sharedInbox(), shared)).toBe(202);
    await eventually(async () => (await rows(shared.id)) + (await rows(personal.id)) === 2);
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(await rows(shared.id)).toBe(1);
  });

  it('leaves a body changed after signing to Fedify, which refuses it; nothing is stored', async () => {
    const deferred = lane().counts.deferred;
    const signed = like('alice');
    const changed = { ...like('alice'), id: `${signed.id}-changed` };
    expect(await sender.send('alice', sharedInbox(), signed, { bodyAfterSigning: changed })).toBe(401);
    expect(lane().counts.deferred).toBe(deferred + 1);
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(await rows(changed.id)).toBe(0);
    expect(await rows(signed.id)).toBe(0);
  });

  it("refuses an activity for alice signed with mallory's known key", async () => {
    const warmup = like('mallory');
    expect(await sender.send('mallory', sharedInbox(), warmup)).toBe(202);
    const spoofed = like('alice');
    expect(await sender.send('alice', sharedInbox(), spoofed, { signAs: 'mallory' })).toBe(401);
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(await rows(spoofed.id)).toBe(0);
  });

  it('answers 404 at the inbox of a profile that does not exist', async () => {
    expect(await sender.send('alice', `${hub.url}/@nobody/inbox`, like('alice'))).toBe(404);
  });

  it('hears an actor again after it changed its key', async () => {
    sender.rotateKey('mallory');
    const after = like('mallory');
    expect(await sender.send('mallory', sharedInbox(), after)).toBe(202);
    await eventually(() => rows(after.id));
  });
});
