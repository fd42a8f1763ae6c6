import { createFederation, generateCryptoKeyPair, MemoryKvStore, signRequest } from '@fedify/fedify';
import {
  Accept,
  type Activity,
  Create,
  Delete,
  Endpoints,
  Follow,
  isActor,
  Like,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Update,
} from '@fedify/vocab';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { track } from './leftovers.js';

/** An activity as this peer's inbox received it, after Fedify checked its signature. */
export interface Received {
  type: string;
  id: string | null;
  actorId: string | null;
  objectId: string | null;
  json: Record<string, unknown>;
}

export interface FediversePeer {
  url: string;
  actorId: string;
  received: Received[];
  /** Paths of every POST this server received, in order. */
  posts: string[];
  follow(actorId: string, as?: 'alice' | 'bob'): Promise<string>;
  unfollow(actorId: string, followId: string): Promise<void>;
  like(objectId: string, to: string, id?: string): Promise<string>;
  reply(objectId: string, to: string, html: string): Promise<string>;
  /** Serves the note with new content and sends, to the shared inbox, an Update that names it by URL only, as some servers do. */
  editNote(noteId: string, to: string, html: string): Promise<void>;
  /** Deletes a note; `as: 'bob'` has another account of the same server try it. */
  deleteNote(noteId: string, to: string, as?: 'alice' | 'bob'): Promise<void>;
  /** Signs and sends any activity from alice (or bob) to the actor at `to`. */
  send(to: string, activity: Activity, as?: 'alice' | 'bob'): Promise<void>;
  /**
   * POSTs any body, however malformed, to an inbox URL, with alice's (or bob's) HTTP signature,
   * as a hostile server would; resolves to the response's status.
   */
  postSigned(inbox: string, body: string, as?: 'alice' | 'bob'): Promise<number>;
  nextId(kind: string): URL;
  waitFor(predicate: (activity: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

/**
 * An independent fediverse server for tests: a real Fedify federation over
 * loopback with one Person, `alice`, that signs what she sends and checks
 * the signatures of what she receives. `bob` is her moved-to account.
 */
export function startFediversePeer(host = '127.0.0.3', options: FediversePeerOptions = {}): Promise<FediversePeer> {
  return track(createFediversePeer(host, options));
}

export interface FediversePeerOptions {
  /** An inbox (and shared inbox) alice declares instead of her own: where a hostile server would point a hub. */
  aliceDeclaresInbox?: string;
}

async function createFediversePeer(host: string, { aliceDeclaresInbox }: FediversePeerOptions): Promise<FediversePeer> {
  const received: Received[] = [];
  const posts: string[] = [];
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true, origin: url });
  const notes = new Map<string, Note>();

  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      // bob is alice's new account (for Move): he names alice in alsoKnownAs.
      if (identifier !== 'alice' && identifier !== 'bob') return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: identifier === 'alice' ? 'Alice Peer' : 'Bob Peer',
        aliases: identifier === 'bob' ? [ctx.getActorUri('alice')] : [],
        inbox: identifier === 'alice' && aliceDeclaresInbox ? new URL(aliceDeclaresInbox) : ctx.getInboxUri(identifier),
        endpoints: new Endpoints({
          sharedInbox: identifier === 'alice' && aliceDeclaresInbox ? new URL(aliceDeclaresInbox) : ctx.getInboxUri(),
        }),
        publicKey: pairs[0].cryptographicKey,
        assertionMethods: pairs.map((pair) => pair.multikey),
      });
    })
    .setKeyPairsDispatcher(() => keys);
  federation.setObjectDispatcher(Note, '/notes/{id}', (_ctx, values) => notes.get(values.id) ?? null);
  const record = async (_ctx: unknown, activity: Activity) => {
    received.push({
      type: activity.constructor.name,
      id: activity.id?.href ?? null,
      actorId: activity.actorId?.href ?? null,
      objectId: activity.objectId?.href ?? null,
      json: (await activity.toJsonLd({ format: 'compact' })) as Record<string, unknown>,
    });
  };
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Create, record)
    .on(Update, record)
    .on(Delete, record)
    .on(Accept, record)
    .on(Undo, record);

  server.on('request', async (req, res) => {
    if (req.method === 'POST') posts.push(req.url ?? '');
    const response = await federation.fetch(toRequest(req, url), { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });

  const ctx = () => federation.createContext(new URL(url), undefined);
  const actorId = `${url}/users/alice`;
  const recipient = async (id: string) => {
    const actor = await ctx().lookupObject(id);
    if (!actor || !isActor(actor)) throw new Error(`no actor at ${id}`);
    return actor;
  };
  let sequence = 0;
  const nextId = (kind: string) => new URL(`${url}/${kind}/${Date.now()}-${++sequence}`);

  return {
    url,
    actorId,
    received,
    posts,
    async follow(target, as = 'alice') {
      const follow = new Follow({ id: nextId('follows'), actor: new URL(`${url}/users/${as}`), object: new URL(target) });
      await ctx().sendActivity({ identifier: as }, await recipient(target), follow);
      return follow.id!.href;
    },
    async unfollow(target, followId) {
      const follow = new Follow({ id: new URL(followId), actor: new URL(actorId), object: new URL(target) });
      await ctx().sendActivity(
        { identifier: 'alice' },
        await recipient(target),
        new Undo({ id: nextId('undos'), actor: new URL(actorId), object: follow }),
      );
    },
    async like(objectId, to, id) {
      const like = new Like({ id: id ? new URL(id) : nextId('likes'), actor: new URL(actorId), object: new URL(objectId) });
      await ctx().sendActivity({ identifier: 'alice' }, await recipient(to), like);
      return like.id!.href;
    },
    async reply(objectId, to, html) {
      const id = `${Date.now()}-${++sequence}`;
      const note = new Note({
        id: new URL(`${url}/notes/${id}`),
        attribution: new URL(actorId),
        to: PUBLIC_COLLECTION,
        cc: new URL(to),
        content: html,
        replyTarget: new URL(objectId),
        tags: [new Mention({ href: new URL(to) })],
      });
      notes.set(id, note);
      await ctx().sendActivity(
        { identifier: 'alice' },
        await recipient(to),
        new Create({ id: new URL(`${note.id!.href}#create`), actor: new URL(actorId), object: note, to: PUBLIC_COLLECTION }),
      );
      return note.id!.href;
    },
    async editNote(noteId, to, html) {
      const key = noteId.split('/').pop()!;
      const note = notes.get(key);
      if (!note) throw new Error(`no note ${noteId}`);
      notes.set(key, note.clone({ content: html }));
      await ctx().sendActivity(
        { identifier: 'alice' },
        await recipient(to),
        new Update({ id: nextId('updates'), actor: new URL(actorId), object: new URL(noteId) }),
        // As Mastodon delivers: to the shared inbox, where the hub reads remote objects through its document cache.
        { preferSharedInbox: true },
      );
    },
    async deleteNote(noteId, to, as = 'alice') {
      if (as === 'alice') notes.delete(noteId.split('/').pop()!);
      const remove = new Delete({
        id: new URL(`${noteId}#delete-by-${as}`),
        actor: new URL(`${url}/users/${as}`),
        object: new Tombstone({ id: new URL(noteId) }),
      });
      await ctx().sendActivity({ identifier: as }, await recipient(to), remove);
    },
    async send(to, activity, as = 'alice') {
      await ctx().sendActivity({ identifier: as }, await recipient(to), activity);
    },
    async postSigned(inbox, body, as = 'alice') {
      const [{ keyId }] = await ctx().getActorKeyPairs(as);
      const request = new Request(inbox, {
        method: 'POST',
        headers: { 'content-type': 'application/activity+json', accept: 'application/activity+json' },
        body,
      });
      const response = await fetch(await signRequest(request, keys[0].privateKey, keyId), { signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      return response.status;
    },
    nextId,
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = received.find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(
        `peer did not receive the expected activity; got ${received.map((activity) => activity.type).join(', ') || 'nothing'}`,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from the hub would hold the server open.
        server.closeAllConnections();
      }),
  };
}

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // Node's fetch needs `duplex` for streamed bodies.
    duplex: hasBody ? 'half' : undefined,
  });
}
