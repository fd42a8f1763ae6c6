import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OutboxKind } from './outbox-message.js';

/** One piece of after-commit work; deleted once its job has done it. */
@Entity('outbox')
export class OutboxEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) kind: OutboxKind;
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  /** Not before: when the work is due. */
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' }) availableAt: Date;
  /** When a job was last asked for; null until the first dispatch. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  /**
   * The later of availableAt and claimedAt: a sweep looks again once its deadline has passed
   * since then ('infinity' once given up).
   */
  @Column({ name: 'recheck_from', type: 'timestamptz', default: () => 'now()' }) recheckFrom: Date;
  /** How many times a job was added to the queue for it. */
  @Column({ type: 'integer', default: 0 }) dispatches: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
