import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BlockKind = 'account' | 'domain';

/** A blocked remote account or a defederated domain. profileId null means the whole hub. */
@Entity('block')
export class Block {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'profile_id', type: 'uuid', nullable: true }) profileId: string | null;
  @Column({ type: 'text' }) kind: BlockKind;
  /** Null for a domain block; an account block names its protocol. */
  @Column({ type: 'text', nullable: true }) protocol: string | null;
  /** Lower-case domain, AP actor id or AT DID. */
  @Column({ type: 'text' }) value: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
