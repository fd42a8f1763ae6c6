import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Protocol } from '../common/protocol.js';

export const PUBLICATION_STATES = ['pending', 'published', 'failed', 'retracted'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];
/** What a pending publication still has to do on its network. */
export type PublicationAction = 'publish' | 'update' | 'retract';

/** One row per post and protocol: the durable record of what must happen there. */
@Entity('publication')
export class Publication {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'post_id', type: 'uuid' }) postId: string;
  @Column({ type: 'text' }) protocol: Protocol;
  @Column({ type: 'text' }) state: PublicationState;
  @Column({ type: 'text' }) action: PublicationAction;
  /** When the pending action is due; null while the post is a draft or in review. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  /** AP object id or AT URI. */
  @Column({ name: 'remote_id', type: 'text', nullable: true }) remoteId: string | null;
  /** AT record CID (null for ActivityPub). */
  @Column({ name: 'remote_cid', type: 'text', nullable: true }) remoteCid: string | null;
  /** Protocol-specific identifiers an adapter chose before writing (e.g. AT record keys). */
  @Column({ name: 'remote_refs', type: 'jsonb', default: () => "'{}'" }) remoteRefs: Record<string, unknown>;
  /** Bumped whenever the pending action changes, so each action gets its own job. */
  @Column({ type: 'integer', default: 0 }) revision: number;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** What an adapter reports after writing to its network. */
export interface PublicationRef {
  /** AP object id or AT URI. */
  remoteId: string;
  /** AT record CID. */
  remoteCid?: string | null;
  /** Anything else the adapter needs later (record keys of a thread, etc.). */
  remoteRefs?: Record<string, unknown>;
  /** The network settles the action later (an ActivityPub fan-out); the publication stays pending until then. */
  settlesLater?: boolean;
}

/** What an adapter reports after retracting: whether the network settles the retraction later. */
export interface RetractRef {
  settlesLater?: boolean;
}
