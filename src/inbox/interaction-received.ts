import type { Audience } from '../common/audience.js';
import type { Protocol } from '../common/protocol.js';
import type { InteractionKind, Reaction } from './interaction.entity.js';

/**
 * What a protocol adapter hands the inbox when something arrives. Adapters
 * never write inbox tables themselves; wire field names stay in src/protocols/.
 */
export interface InteractionReceived {
  profileId: string;
  protocol: Protocol;
  kind: InteractionKind;
  /** Unique per protocol (AP activity/object id, AT record URI): redelivery stores nothing twice. */
  remoteId: string;
  author: {
    id: string;
    handle?: string | null;
    name?: string | null;
    avatarUrl?: string | null;
    url?: string | null;
    domain?: string | null;
  };
  /** The canonical post it is about (reply target, liked post, …), when it is one of ours. */
  targetPostId?: string | null;
  parentRemoteId?: string | null;
  /** Protocol data needed to answer natively (AT root/parent strong refs, AP object id). */
  replyRefs?: Record<string, unknown>;
  /** Untrusted HTML from a remote server (AP content); the inbox sanitises it. */
  html?: string | null;
  /** Plain text (AT record text); the inbox escapes it. */
  text?: string | null;
  url?: string | null;
  createdAt?: Date | null;
  /** Who the remote post was addressed to; public when the protocol has no other kind. */
  audience?: Audience;
  /** The emoji of a reaction (untrusted: the inbox checks the name and the image URL). */
  reaction?: Reaction | null;
}
