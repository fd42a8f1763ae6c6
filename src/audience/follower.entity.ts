import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Protocol } from '../common/protocol.js';

/** A remote account following a profile on one protocol; `until` is set when it stops. */
@Entity('follower')
export class Follower {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @Column({ type: 'text' }) protocol: Protocol;
  /** AP actor id or AT DID. */
  @Column({ name: 'remote_actor_id', type: 'text' }) remoteActorId: string;
  @Column({ type: 'text', nullable: true }) handle: string | null;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName: string | null;
  @Column({ name: 'avatar_url', type: 'text', nullable: true }) avatarUrl: string | null;
  @Column({ name: 'profile_url', type: 'text', nullable: true }) profileUrl: string | null;
  @Column({ name: 'inbox_url', type: 'text', nullable: true }) inboxUrl: string | null;
  @Column({ name: 'shared_inbox_url', type: 'text', nullable: true }) sharedInboxUrl: string | null;
  /** Host of the remote account, for domain blocks. */
  @Column({ type: 'text', nullable: true }) domain: string | null;
  /** The Follow activity id or AT follow record URI, to match an Undo. */
  @Column({ name: 'follow_id', type: 'text', nullable: true }) followId: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) since: Date;
  @Column({ type: 'timestamptz', nullable: true }) until: Date | null;
}
