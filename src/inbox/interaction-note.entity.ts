import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A staff member's internal note on an interaction; never leaves Herald. */
@Entity('interaction_note')
export class InteractionNote {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'interaction_id', type: 'uuid' }) interactionId: string;
  @Column({ name: 'author_id', type: 'uuid', nullable: true }) authorId: string | null;
  @Column({ type: 'text' }) text: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
