import { KeyObject, randomUUID } from 'node:crypto';
import type { Federation } from '@fedify/fedify';
import { verifyRequest } from '@fedify/fedify/sig';
import { CryptographicKey } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import { LRUCache } from 'lru-cache';
import { Coalescer } from '../../../common/coalescer.js';
import { actorIdOf } from './activity-origin.js';
import { parseSignatureHeader, type SignedRequest, verifyDraftCavage } from './draft-cavage.js';

/** The message Fedify's inbox queue carries (its `InboxMessage`): the worker parses and dispatches it as Fedify would. */
export interface QueuedInboxMessage {
  type: 'inbox';
  id: string;
  baseUrl: string;
  activity: unknown;
  identifier: string | null;
  attempt: number;
  started: string;
  traceContext: Record<string, string>;
  /** Present when the body carries a Linked Data signature: it was not what authenticated the request. */
  ldSignatureVerified?: false;
}

export interface InboxFastLaneOptions {
  federation: Federation<void>;
  /** Herald's public origin: what Fedify's own inbox handler puts in `baseUrl`. */
  origin: string;
  /** Puts messages on Fedify's inbox queue, all or none. */
  enqueue: (messages: QueuedInboxMessage[]) => Promise<void>;
  /** Loads a document from its server, past every cache (a signer's key that may have changed). */
  freshDocumentLoader: DocumentLoader;
  /** Whether a personal inbox's owner exists (otherwise Fedify answers, with its 404). */
  profileExists: (identifier: string) => Promise<boolean>;
  /** How far a signature's Date may be from now; Fedify's default, one hour. */
  signatureWindowMs?: number;
}

export interface InboundPost {
  method: string;
  /** The path without the query: the shared inbox or a profile's, and the signature's request-target, as Fedify and Mastodon read it. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: unknown;
  /** The same request for Fedify's verifier, made only when it is needed. */
  toWebRequest: () => Request;
}

/** Verified sender keys kept in the process: keyId → owner and imported key. */
interface SenderKey {
  ownerId: string | null;
  key: KeyObject;
}

const KEY_TTL_MS = 5 * 60_000;
const KEY_MAX = 20_000;
const REFRESH_EVERY_MS = 60_000;
/** Activities queued together are one Redis value: about this size at most (one activity may be up to the body limit). */
const BATCH_BYTES = 1024 * 1024;
const PERSONAL_INBOX = /^\/@([^/]+)\/inbox$/;

/**
 * The inbox's fast lane: an activity signed the way most servers sign (draft-cavage, RSA, over
 * host, date and digest) by a key that Fedify has verified before is checked here with the key
 * already imported, then queued in batches, and answered 202 once Redis holds it. That is what
 * Fedify's own handler does (verify, then queue), without parsing the activity as JSON-LD or
 * re-importing the key on every request. Everything else, and anything doubtful (an unknown key,
 * a signature that does not verify, a signer who is not the activity's actor, a Linked Data
 * signature from a third party), goes to Fedify's handler unchanged: the lane only ever says yes.
 * The worker parses and dispatches the queued activity exactly as if Fedify had queued it.
 */
export class InboxFastLane {
  /** What the lane took, and what it left to Fedify's handler (inbox posts only). */
  readonly counts = { accepted: 0, deferred: 0 };
  private readonly keys = new LRUCache<string, SenderKey>({ max: KEY_MAX, ttl: KEY_TTL_MS });
  /** Keys whose document was read past the cache in the last minute. */
  private readonly refreshed = new LRUCache<string, true>({ max: KEY_MAX, ttl: REFRESH_EVERY_MS });
  private readonly queued: Coalescer<{ message: QueuedInboxMessage; bytes: number }, void>;
  private readonly windowMs: number;

  constructor(private readonly options: InboxFastLaneOptions) {
    this.windowMs = options.signatureWindowMs ?? 60 * 60_000;
    this.queued = new Coalescer<{ message: QueuedInboxMessage; bytes: number }, void>(async (items) => {
      await Promise.all(chunksOf(items, BATCH_BYTES).map((chunk) => options.enqueue(chunk.map((item) => item.message))));
      return [];
    }, 500);
  }

  /** True when the activity is verified and queued (answer 202); false when Fedify's handler must decide. */
  async accept(post: InboundPost): Promise<boolean> {
    const accepted = await this.tryAccept(post);
    if (accepted) this.counts.accepted += 1;
    else this.counts.deferred += 1;
    return accepted;
  }

  private async tryAccept(post: InboundPost): Promise<boolean> {
    const recipient = await this.recipientOf(post.path);
    if (recipient === undefined) return false;
    const actorId = actorIdOf(post.json);
    if (!actorId || !isActivityShaped(post.json)) return false;
    const header = (name: string) => headerValue(post.headers[name]);
    const params = parseSignatureHeader(header('signature'));
    if (!params || header('signature-input')) return false;
    const signed: SignedRequest = { method: post.method, path: post.path, header };
    let sender = this.keys.get(params.keyId);
    const verdict = sender ? verifyDraftCavage(signed, post.body, params, sender.key, { windowMs: this.windowMs }) : null;
    if (verdict === 'unsupported') return false;
    // Unknown, or known but no longer verifying (the actor may have a new key): ask Fedify's verifier.
    if (verdict !== 'verified') sender = (await this.verifyAnew(post, params.keyId)) ?? undefined;
    if (!sender) return false;
    // Fedify's handler checks ownership further (fetching the actor); the lane takes only the plain case.
    if (sender.ownerId !== actorId) return false;
    await this.queued.call({
      bytes: post.body.length,
      message: {
        type: 'inbox',
        id: randomUUID(),
        baseUrl: this.options.origin,
        activity: post.json,
        identifier: recipient,
        attempt: 0,
        started: new Date().toISOString(),
        traceContext: {},
        ...('signature' in (post.json as object) ? { ldSignatureVerified: false as const } : {}),
      },
    });
    return true;
  }

  /** null for the shared inbox, the identifier of an existing profile's inbox, or undefined (not for the lane). */
  private async recipientOf(path: string): Promise<string | null | undefined> {
    if (path === '/inbox') return null;
    const match = PERSONAL_INBOX.exec(path);
    if (!match) return undefined;
    const identifier = decodeURIComponent(match[1]);
    return (await this.options.profileExists(identifier)) ? identifier : undefined;
  }

  /**
   * A key not seen yet, or one that stopped verifying: Fedify's verifier fetches it through the
   * document cache and checks the request. If that fails, the key's document is read once more
   * from its server, past the cache, as Mastodon refreshes a signer's key: an actor that replaced
   * its key is heard at once. At most one such read per key a minute, so forged requests naming
   * someone's key cannot make Herald hammer their server. A key that verifies is kept, imported.
   */
  private async verifyAnew(post: InboundPost, keyId: string): Promise<SenderKey | null> {
    const context = this.options.federation.createContext(new URL(this.options.origin), undefined);
    let key = await this.verifyWith(post, context.documentLoader, context.contextLoader);
    if (!key && !this.refreshed.has(keyId)) {
      this.refreshed.set(keyId, true);
      key = await this.verifyWith(post, this.options.freshDocumentLoader, context.contextLoader);
    }
    if (!key || key.id?.href !== keyId || !key.publicKey) return null;
    const sender = { ownerId: key.ownerId?.href ?? null, key: KeyObject.from(key.publicKey) };
    if (sender.key.asymmetricKeyType === 'rsa') this.keys.set(keyId, sender);
    return sender;
  }

  private async verifyWith(post: InboundPost, documentLoader: DocumentLoader, contextLoader: DocumentLoader) {
    const key = await verifyRequest(post.toWebRequest(), {
      documentLoader,
      contextLoader,
      timeWindow: { milliseconds: this.windowMs },
    }).catch(() => null);
    return key instanceof CryptographicKey ? key : null;
  }
}

/** An object with an id and a type: the least Fedify's parser needs before the worker reads it. */
function isActivityShaped(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const { id, type } = json as { id?: unknown; type?: unknown };
  return typeof id === 'string' && URL.canParse(id) && (typeof type === 'string' || Array.isArray(type));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Consecutive runs of items whose bytes add up to at most `limit` (an item over it goes alone). */
function chunksOf<T extends { bytes: number }>(items: T[], limit: number): T[][] {
  const chunks: T[][] = [];
  let size = Infinity;
  for (const item of items) {
    if (size + item.bytes > limit) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(item);
    size += item.bytes;
  }
  return chunks;
}
