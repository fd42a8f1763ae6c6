import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const KEYWORD_ACTIONS = ['label', 'hide'] as const;
export type KeywordAction = (typeof KEYWORD_ACTIONS)[number];

/** A word or phrase that labels or hides an incoming interaction before anyone sees it. */
@Entity('keyword_filter')
export class KeywordFilter {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) pattern: string;
  @Column({ type: 'text' }) action: KeywordAction;
  @Column({ type: 'text', nullable: true }) label: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
