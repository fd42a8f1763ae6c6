import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Protocol } from '../common/protocol.js';

export interface ProfileField {
  name: string;
  value: string;
}

/** One organisation's public identity, published natively on every enabled protocol. */
@Entity('profile')
export class Profile {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Local part of the fediverse handle: `eu` in `@eu@social.example.eu`. */
  @Column({ type: 'text' }) handle: string;
  /** Bluesky handle and web domain of the profile: `social.example.eu`. */
  @Column({ type: 'text' }) domain: string;
  @Column({ name: 'display_name', type: 'text' }) displayName: string;
  @Column({ type: 'text', default: '' }) bio: string;
  @Column({ name: 'avatar_media_id', type: 'uuid', nullable: true }) avatarMediaId: string | null;
  @Column({ name: 'banner_media_id', type: 'uuid', nullable: true }) bannerMediaId: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) fields: ProfileField[];
  @Column({ name: 'organisation_type', type: 'text', nullable: true }) organisationType: string | null;
  @Column({ type: 'text', nullable: true }) website: string | null;
  @Column({ name: 'managed_by', type: 'text', nullable: true }) managedBy: string | null;
  @Column({ type: 'text', array: true }) protocols: Protocol[];
  @Column({ name: 'requires_approval', type: 'boolean', default: false }) requiresApproval: boolean;
  /** How a Bluesky post longer than 300 graphemes goes out. */
  @Column({ name: 'long_post_mode', type: 'text', default: 'thread' }) longPostMode: 'thread' | 'link';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
