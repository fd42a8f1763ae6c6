import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Audience } from '../common/audience.js';
import type { Protocol } from '../common/protocol.js';

export const INTERACTION_KINDS = ['reply', 'mention', 'quote', 'like', 'repost', 'follow', 'unfollow', 'report'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export const TRIAGE_STATES = ['new', 'assigned', 'answered', 'resolved', 'hidden', 'spam'] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];

/** The emoji a reaction carries: a unicode emoji, or a custom emoji's `:name:` and its image. */
export interface Reaction {
  emoji: string;
  imageUrl: string | null;
}

/** Something a remote account did to a profile, normalised across protocols. */
@Entity('interaction')
export class Interaction {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) protocol: Protocol;
  @Column({ type: 'text' }) kind: InteractionKind;
  /** Unique per protocol, so a redelivered activity is stored once. */
  @Column({ name: 'remote_id', type: 'text' }) remoteId: string;
  @Column({ name: 'author_id', type: 'text' }) authorId: string;
  @Column({ name: 'author_handle', type: 'text', nullable: true }) authorHandle: string | null;
  @Column({ name: 'author_name', type: 'text', nullable: true }) authorName: string | null;
  @Column({ name: 'author_avatar_url', type: 'text', nullable: true }) authorAvatarUrl: string | null;
  @Column({ name: 'author_url', type: 'text', nullable: true }) authorUrl: string | null;
  @Column({ name: 'author_domain', type: 'text', nullable: true }) authorDomain: string | null;
  @Column({ name: 'target_post_id', type: 'uuid', nullable: true }) targetPostId: string | null;
  /** Remote id of the object this one answers (AP inReplyTo / AT parent URI). */
  @Column({ name: 'parent_remote_id', type: 'text', nullable: true }) parentRemoteId: string | null;
  /** Protocol data needed to answer natively (e.g. AT root and parent strong refs). */
  @Column({ name: 'reply_refs', type: 'jsonb', default: () => "'{}'" }) replyRefs: Record<string, unknown>;
  /** Who the remote post was addressed to; a non-public one is never shown publicly, and its answer keeps it. */
  @Column({ type: 'text', default: 'public' }) audience: Audience;
  /** Set when a like is an emoji reaction. */
  @Column({ type: 'jsonb', nullable: true }) reaction: Reaction | null;
  @Column({ name: 'content_html', type: 'text', nullable: true }) contentHtml: string | null;
  @Column({ name: 'content_text', type: 'text', nullable: true }) contentText: string | null;
  /** Link to the original on its network. */
  @Column({ type: 'text', nullable: true }) url: string | null;
  @Column({ name: 'remote_created_at', type: 'timestamptz', nullable: true }) remoteCreatedAt: Date | null;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ type: 'text', default: 'new' }) state: TriageState;
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true }) assigneeId: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) labels: string[];
  /** Set when the remote side deleted or undid it. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
}
