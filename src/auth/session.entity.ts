import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A staff login. Only the SHA-256 of the bearer token is stored. */
@Entity('staff_session')
export class StaffSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'staff_user_id', type: 'uuid' }) staffUserId: string;
  @Column({ name: 'token_hash', type: 'text' }) tokenHash: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
}
