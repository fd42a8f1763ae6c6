import type { webcrypto } from 'node:crypto';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ActorKeyAlgorithm = 'RSASSA-PKCS1-v1_5' | 'Ed25519';

/** One of a profile's key pairs, as JWKs: RSA for HTTP Signatures, Ed25519 for object integrity proofs. */
@Entity('actor_key')
export class ActorKey {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' }) profileId: string;
  @PrimaryColumn({ type: 'text' }) algorithm: ActorKeyAlgorithm;
  @Column({ name: 'private_key', type: 'jsonb' }) privateKey: webcrypto.JsonWebKey;
  @Column({ name: 'public_key', type: 'jsonb' }) publicKey: webcrypto.JsonWebKey;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
