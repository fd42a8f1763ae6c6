import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { exportSpki } from '@fedify/vocab-runtime';

/** How an account's server answers deliveries while armed. */
export type InboxMode = 'ok' | 'error-500' | 'rate-limited' | 'gone' | 'hanging';

export interface LoopbackFollower {
  actorId: string;
  inbox: string;
  mode: InboxMode;
  /** Activities this account's server received, in order (Accepts included). */
  received: Array<{ id: string; type: string }>;
  /** Inbox POSTs that got a failing answer (or none) while armed. */
  refused: number;
}

export interface LoopbackFollowers {
  accounts: LoopbackFollower[];
  /** Misbehave as each account's mode says (until then every server answers 202). */
  arm(): void;
  disarm(): void;
  /** Sends each account's signed Follow to the actor's inbox; resolves with the HTTP statuses. */
  follow(actorId: string, inbox: string): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Fediverse accounts, each on a server of its own (its own loopback address),
 * that really follow over signed HTTP and answer deliveries as told: the
 * misbehaving servers a durable fan-out has to live with. Independent of
 * Herald's code; Fedify is used only to sign.
 */
export async function startLoopbackFollowers(hosts: Array<{ host: string; mode: InboxMode }>): Promise<LoopbackFollowers> {
  const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
  const publicKeyPem = await exportSpki(keys.publicKey);
  let armed = false;
  const held: ServerResponse[] = [];
  const servers: Server[] = [];
  const accounts: LoopbackFollower[] = [];
  for (const { host, mode } of hosts) {
    const account: LoopbackFollower = { actorId: '', inbox: '', mode, received: [], refused: 0 };
    const server = createServer((req, res) => void answer(account, req, res));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const address = server.address();
    const base = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
    account.actorId = `${base}/users/a`;
    account.inbox = `${base}/inbox`;
    servers.push(server);
    accounts.push(account);
  }

  async function answer(account: LoopbackFollower, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/users/a') {
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify(actorDocument(account)));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/inbox') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (armed && account.mode !== 'ok') account.refused += 1;
    if (armed && account.mode === 'hanging') {
      held.push(res);
      return;
    }
    if (armed && account.mode === 'error-500') return void res.writeHead(500).end();
    if (armed && account.mode === 'gone') return void res.writeHead(410).end();
    if (armed && account.mode === 'rate-limited') return void res.writeHead(429, { 'retry-after': '1' }).end();
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string };
    if (!req.headers.signature) return void res.writeHead(401).end();
    account.received.push({ id: activity.id, type: activity.type });
    res.writeHead(202).end();
  }

  const actorDocument = (account: LoopbackFollower) => ({
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id: account.actorId,
    type: 'Person',
    preferredUsername: 'a',
    inbox: account.inbox,
    endpoints: { sharedInbox: account.inbox },
    publicKey: { id: `${account.actorId}#main-key`, owner: account.actorId, publicKeyPem },
  });

  return {
    accounts,
    arm: () => (armed = true),
    disarm() {
      armed = false;
      held.splice(0).forEach((res) => res.destroy());
    },
    async follow(actorId, inbox) {
      const statuses: number[] = [];
      for (const account of accounts) {
        const follow = {
          '@context': 'https://www.w3.org/ns/activitystreams',
          id: `${account.actorId}#follows/${Date.now()}`,
          type: 'Follow',
          actor: account.actorId,
          object: actorId,
        };
        const request = new Request(inbox, {
          method: 'POST',
          headers: { 'content-type': 'application/activity+json' },
          body: JSON.stringify(follow),
        });
        const signed = await signRequest(request, keys.privateKey, new URL(`${account.actorId}#main-key`));
        statuses.push((await fetch(signed)).status);
      }
      return statuses;
    },
    async close() {
      held.splice(0).forEach((res) => res.destroy());
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };
}
