import type { Audience } from '../common/audience.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const POST_KINDS = ['note', 'article'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_STATUSES = ['draft', 'in_review', 'scheduled', 'published', 'deleted'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export interface PostAttachment {
  mediaId: string;
  altText: string;
}

/** The canonical post: stored once, rendered natively by each protocol adapter. */
@Entity('post')
export class Post {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) kind: PostKind;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'text', nullable: true }) title: string | null;
  @Column({ type: 'text', nullable: true }) summary: string | null;
  @Column({ type: 'text', nullable: true }) language: string | null;
  @Column({ name: 'content_warning', type: 'text', nullable: true }) contentWarning: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) attachments: PostAttachment[];
  @Column({ name: 'thread_parent_id', type: 'uuid', nullable: true }) threadParentId: string | null;
  /** Set when the post answers an inbox interaction; it then goes out only where that came from. */
  @Column({ name: 'reply_to_interaction_id', type: 'uuid', nullable: true }) replyToInteractionId: string | null;
  /** An answer keeps the audience of what it answers; anything but public/unlisted stays off public pages. */
  @Column({ type: 'text', default: 'public' }) audience: Audience;
  @Column({ type: 'text' }) status: PostStatus;
  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true }) scheduledAt: Date | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
