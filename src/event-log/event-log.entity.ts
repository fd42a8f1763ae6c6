import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The streams that share the log: each is ordered on its own, so they never wait for each other. */
export const EVENT_TOPICS = ['inbox', 'publication'] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** One change a console may need to hear of, kept so a reconnecting client can replay what it missed (id = SSE event id). */
@Entity('event_log')
export class EventLogRecord {
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) topic: EventTopic;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) type: string;
  /** What changed: an interaction, a publication. */
  @Column({ name: 'subject_id', type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export type NewEvent = Pick<EventLogRecord, 'profileId' | 'type' | 'subjectId' | 'payload'>;
