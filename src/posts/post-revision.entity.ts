import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PostAttachment } from './post.entity.js';

/**
 * pending: waiting for an approver; approved: applied to the post and sent out as an edit;
 * rejected: refused by an approver; replaced: a newer edit took its place; discarded: the post was deleted first.
 */
export const REVISION_STATES = ['pending', 'approved', 'rejected', 'replaced', 'discarded'] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

/** The post's content as an edit proposes it: every field, so approving it needs nothing else. */
export interface RevisionContent {
  text: string;
  title: string | null;
  summary: string | null;
  language: string | null;
  contentWarning: string | null;
  attachments: PostAttachment[];
}

/** An edit of a published post waiting for sign-off; the live post is unchanged until it is approved. */
@Entity('post_revision')
export class PostRevision {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'post_id', type: 'uuid' }) postId: string;
  @Column({ type: 'jsonb' }) content: RevisionContent;
  @Column({ type: 'text', default: 'pending' }) state: RevisionState;
  @Column({ name: 'proposed_by', type: 'uuid', nullable: true }) proposedBy: string | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}
