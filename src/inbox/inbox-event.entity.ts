import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const INBOX_EVENT_TYPES = ['interaction.received', 'interaction.updated', 'interaction.withdrawn'] as const;
export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

/** One inbox change, kept so a reconnecting console can replay what it missed (id = SSE event id). */
@Entity('inbox_event')
export class InboxEventRecord {
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) type: InboxEventType;
  @Column({ name: 'interaction_id', type: 'uuid', nullable: true }) interactionId: string | null;
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
