import { createServer, type Server } from 'node:http';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(120_000);

/**
 * A hub that refuses private addresses (ALLOW_PRIVATE_ADDRESS=false), with only
 * the peer's own host:port exempt (ALLOW_PRIVATE_HOSTS) so it can fetch the
 * peer's keys over loopback. Alice declares an inbox on another loopback port,
 * where a hostile server would aim a hub at an internal service.
 */
describe('a hub that refuses private addresses', () => {
  let trap: Server;
  const trapped: string[] = [];
  let peer: FediversePeer;
  let hub: TestHerald;
  let actorId: string;
  const followers = () =>
    hub.herald.app.get(DataSource).query(`SELECT remote_actor_id, inbox_url FROM follower ORDER BY since`) as Promise<
      Array<{ remote_actor_id: string; inbox_url: string }>
    >;

  beforeAll(async () => {
    trap = createServer((req, res) => {
      trapped.push(`${req.method} ${req.url}`);
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapPort = (trap.address() as { port: number }).port;
    peer = await startFediversePeer('127.0.0.3', { aliceDeclaresInbox: `http://127.0.0.1:${trapPort}/internal-inbox` });
    hub = await startFederatedTestHerald('ap-private', '127.0.0.2', {
      ALLOW_PRIVATE_ADDRESS: 'false',
      ALLOW_PRIVATE_HOSTS: new URL(peer.url).host,
    });
    const admin = await hub.login(['admin']);
    await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'guarded', domain: 'guarded.example.eu', displayName: 'Guarded', protocols: ['activitypub'] })
      .expect(201);
    actorId = `${hub.url}/@guarded`;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await peer?.close();
    await hub?.close();
    await new Promise((resolve) => trap?.close(resolve));
  }, CLOSE_TIMEOUT_MS);

  it('refuses a Follow from an actor whose inbox is a loopback address: no Accept sent there, no follower stored', async () => {
    const refused = await peer.follow(actorId, 'alice');
    // bob, on the same exempt peer with his own inbox, is the control: the hub verifies, stores and accepts him.
    const accepted = await peer.follow(actorId, 'bob');
    await peer.waitFor((activity) => activity.type === 'Accept' && activity.objectId === accepted);
    await queuesIdle(hub, FEDERATION_QUEUES);

    expect(await followers()).toEqual([{ remote_actor_id: `${peer.url}/users/bob`, inbox_url: `${peer.url}/users/bob/inbox` }]);
    expect(peer.received.filter((activity) => activity.objectId === refused)).toEqual([]);
    expect(trapped).toEqual([]);
  });
});
