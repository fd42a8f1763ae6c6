import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const AP = 'application/activity+json';

/** Misskey's JSON-LD context: the extension terms its notes and reactions use, defined inline as it sends them. */
export const MISSKEY_CONTEXT = [
  'https://www.w3.org/ns/activitystreams',
  'https://w3id.org/security/v1',
  {
    Key: 'sec:Key',
    manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
    sensitive: 'as:sensitive',
    Hashtag: 'as:Hashtag',
    quoteUrl: 'as:quoteUrl',
    toot: 'http://joinmastodon.org/ns#',
    Emoji: 'toot:Emoji',
    misskey: 'https://misskey-hub.net/ns#',
    _misskey_content: 'misskey:_misskey_content',
    _misskey_quote: 'misskey:_misskey_quote',
    _misskey_reaction: 'misskey:_misskey_reaction',
    litepub: 'http://litepub.social/ns#',
    EmojiReact: 'litepub:EmojiReact',
    quote: { '@id': 'https://w3id.org/fep/044f#quote', '@type': '@id' },
  },
];

export const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

export interface RawActor {
  username: string;
  id: string;
  inbox: string;
  followers: string;
  /** `username@host:port`, as a remote server names it. */
  acct: string;
}

export interface Forgery {
  /** Sign with this other actor's key (and keyId). */
  signAs?: string;
  /** Send this body instead of the one that was digested and signed. */
  bodyAfterSigning?: Record<string, unknown>;
}

export interface RawReceived {
  /** The actor whose inbox (or the shared inbox, as null) it arrived at. */
  username: string | null;
  json: Record<string, unknown>;
}

export interface RawActivityPubSender {
  url: string;
  actor(username: string): RawActor;
  /**
   * Signs (draft-cavage HTTP Signatures, rsa-sha256) and POSTs an activity as `username`; resolves to the HTTP status.
   * `forge` makes it an attack: signed with another actor's key, or a body other than the one signed.
   */
  send(username: string, inboxUrl: string, activity: Record<string, unknown>, forge?: Forgery): Promise<number>;
  /** Gives the actor a new key pair; its document serves the new public key from now on. */
  rotateKey(username: string): void;
  received: RawReceived[];
  waitFor(predicate: (received: RawReceived) => boolean, timeoutMs?: number): Promise<RawReceived>;
  close(): Promise<void>;
}

/**
 * A small ActivityPub server that is not Fedify: actors served from a loopback HTTP server, each
 * with its own RSA key, signing requests with node:crypto. It sends exactly the JSON it is given,
 * so tests can reproduce other servers' shapes (Misskey's `_misskey_quote`, `_misskey_reaction`,
 * Pleroma's EmojiReact, a DM addressed only to the recipient), and it records what it receives.
 */
export async function startRawActivityPubSender(host: string, usernames: string[]): Promise<RawActivityPubSender> {
  const keys = new Map<string, { privateKey: KeyObject; publicKeyPem: string }>();
  const newKey = (username: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys.set(username, { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  };
  usernames.forEach(newKey);
  const received: RawReceived[] = [];
  const waiters: Array<() => void> = [];
  let base = '';
  const actor = (username: string): RawActor => {
    if (!keys.has(username)) throw new Error(`no actor ${username}`);
    const id = `${base}/users/${username}`;
    return { username, id, inbox: `${id}/inbox`, followers: `${id}/followers`, acct: `${username}@${new URL(base).host}` };
  };
  const actorDocument = (username: string) => {
    const { id, inbox, followers } = actor(username);
    return {
      '@context': MISSKEY_CONTEXT,
      id,
      type: 'Person',
      preferredUsername: username,
      name: `${username} (raw sender)`,
      inbox,
      outbox: `${id}/outbox`,
      followers,
      following: `${id}/following`,
      endpoints: { sharedInbox: `${base}/inbox` },
      url: `${base}/@${username}`,
      publicKey: { id: `${id}#main-key`, type: 'Key', owner: id, publicKeyPem: keys.get(username)!.publicKeyPem },
    };
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    const user = /^\/users\/([^/]+)(\/inbox)?$/.exec(path);
    if (req.method === 'POST' && (path === '/inbox' || (user?.[2] && keys.has(user[1])))) {
      readBody(req)
        .then((body) => {
          received.push({ username: user?.[1] ?? null, json: JSON.parse(body) as Record<string, unknown> });
          waiters.splice(0).forEach((wake) => wake());
          res.writeHead(202).end();
        })
        .catch(() => res.writeHead(400).end());
      return;
    }
    if (req.method === 'GET' && user && !user[2] && keys.has(user[1])) {
      res.writeHead(200, { 'content-type': AP }).end(JSON.stringify(actorDocument(user[1])));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  base = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    actor,
    received,
    send: (username, inboxUrl, activity, forge) => {
      const signer = forge?.signAs ?? username;
      return signedPost(keys.get(signer)!.privateKey, `${actor(signer).id}#main-key`, inboxUrl, activity, forge?.bodyAfterSigning);
    },
    rotateKey: (username) => {
      if (!keys.has(username)) throw new Error(`no actor ${username}`);
      newKey(username);
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`nothing matching arrived in ${timeoutMs} ms (${received.length} received)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** POST with a draft-cavage signature over (request-target), host, date and digest, as Mastodon and Misskey sign. */
function signedPost(
  privateKey: KeyObject,
  keyId: string,
  inboxUrl: string,
  activity: Record<string, unknown>,
  bodyAfterSigning?: Record<string, unknown>,
): Promise<number> {
  const url = new URL(inboxUrl);
  const signedBody = JSON.stringify(activity);
  const body = bodyAfterSigning ? JSON.stringify(bodyAfterSigning) : signedBody;
  const headers: Record<string, string> = {
    host: url.host,
    date: new Date().toUTCString(),
    digest: `SHA-256=${createHash('sha256').update(signedBody).digest('base64')}`,
    'content-type': AP,
  };
  const signed = ['(request-target)', 'host', 'date', 'digest'];
  const signingString = signed
    .map((name) => (name === '(request-target)' ? `(request-target): post ${url.pathname}${url.search}` : `${name}: ${headers[name]}`))
    .join('\n');
  const signature = createSign('RSA-SHA256').update(signingString).sign(privateKey, 'base64');
  headers.signature = `keyId="${keyId}",algorithm="rsa-sha256",headers="${signed.join(' ')}",signature="${signature}"`;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`POST ${inboxUrl} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
