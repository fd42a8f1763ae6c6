import type { Interaction } from '../inbox/interaction.entity.js';
import type { Post } from '../posts/post.entity.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { Protocol } from '../common/protocol.js';
import type { Publication, PublicationRef, RetractRef } from '../posts/publication.entity.js';
import type { ProfileSyncWork } from '../outbox/outbox-message.js';
import type { NetworkFacts } from './network-status.rules.js';

export type { PublicationRef, RetractRef };
export type ProfileSyncReason = ProfileSyncWork['reason'];

/**
 * A post with `replyToInteractionId` answers an inbox interaction: it goes out
 * only on that interaction's protocol, and the adapter makes it a native reply
 * (AP inReplyTo; AT reply root/parent from the interaction's replyRefs).
 */
export interface PublishRequest {
  profile: Profile;
  post: Post;
  publication: Publication;
  /** The thread parent's publication on the same protocol, when the post continues a thread. */
  threadParent?: Publication | null;
  /** The inbox interaction the post answers, when it is an answer. */
  replyTo?: Interaction | null;
}

/**
 * One protocol behind one contract. Feature modules never import Fedify or
 * @atproto/*: they reach a network only through an adapter.
 */
export interface ProtocolAdapter {
  readonly protocol: Protocol;
  /** `created`: the profile is new (make accounts, keys); `updated`: it was edited (announce the change). */
  syncProfile(profile: Profile, reason: ProfileSyncReason): Promise<void>;
  /** Called before publish; whatever it returns is stored before the write, so a retry reuses it. */
  reserve?(request: PublishRequest): Promise<Record<string, unknown>>;
  /** Idempotent: a retry with the same publication must not create a second object. */
  publish(request: PublishRequest): Promise<PublicationRef>;
  update(request: PublishRequest): Promise<PublicationRef>;
  retract(request: PublishRequest): Promise<RetractRef | void>;
  /** How the post will look on this network, for the composer's live preview. Pure: writes nothing. */
  preview?(profile: Profile, post: Post): Promise<PostPreview>;
  /** Did it land: what the network knows of a publication (per-server outcomes, record visibility). */
  deliveryReport?(profile: Profile, publication: Publication): Promise<Record<string, unknown>>;
  /** Tells the network the profile blocks an account (AP Block activity, Bluesky block record). */
  block?(profile: Profile, target: BlockTarget): Promise<void>;
  unblock?(profile: Profile, target: BlockTarget): Promise<void>;
  /** What the network knows of the profile (account, followers' servers), for its network status. Reads only. */
  networkFacts?(profile: Profile): Promise<NetworkFacts>;
  /** Periodic cleanup of the adapter's own stores (entries past their expiry); run by the maintenance job. */
  housekeep?(): Promise<void>;
}

export interface PostPreview {
  protocol: Protocol;
  /** One part per native object: a single Note, or each post of a Bluesky thread. */
  parts: Array<{ text: string; html?: string; graphemes?: number; limit?: number }>;
  warnings: string[];
}

export interface BlockTarget {
  /** AP actor id or AT DID. */
  actorId: string;
}

/** How a failure should be handled: try again later, give up, or needs a human to re-authorise. */
export type FailureClass = 'retry' | 'permanent' | 'reauthenticate';

export class AdapterError extends Error {
  constructor(
    message: string,
    readonly failureClass: FailureClass,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

/** Unknown errors (network, bugs) are retried; adapters classify what they know. */
export function failureClassOf(error: unknown): FailureClass {
  return error instanceof AdapterError ? error.failureClass : 'retry';
}
