import type { Protocol } from '../common/protocol.js';

/** Carry out a publication's pending action (publish, update or retract) at its revision. */
export interface PublicationWork {
  publicationId: string;
  revision: number;
}

/** Release a scheduled post when its time comes. */
export interface ScheduledPostWork {
  postId: string;
}

/** Push a profile's identity to its networks; `created` is the first push, which creates accounts. */
export interface ProfileSyncWork {
  profileId: string;
  reason: 'created' | 'updated';
  /** The networks still to do, when an earlier run did the others and these were not ready. */
  protocols?: Protocol[];
}

/** Tell a network that the profile blocked or unblocked an account; the local block is already in force. */
export interface BlockNoticeWork {
  action: 'block' | 'unblock';
  profileId: string;
  protocol: Protocol;
  actorId: string;
}

/**
 * Work that must follow a commit, written to the outbox in the same transaction.
 * `availableAt` delays it (a scheduled post, a publication due later).
 */
export type OutboxMessage =
  | { kind: 'publication'; payload: PublicationWork; availableAt?: Date }
  | { kind: 'scheduled-post'; payload: ScheduledPostWork; availableAt?: Date }
  | { kind: 'profile-sync'; payload: ProfileSyncWork; availableAt?: Date }
  | { kind: 'block-notice'; payload: BlockNoticeWork; availableAt?: Date };

export type OutboxKind = OutboxMessage['kind'];

/** A job's data: the work, and the outbox row its processor completes when the work is done. */
export type OutboxJob<Work> = Work & { outboxId?: string };
