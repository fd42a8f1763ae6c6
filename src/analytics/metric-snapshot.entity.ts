import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Reach of one post on one protocol at one moment. */
@Entity('metric_snapshot')
export class MetricSnapshot {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ name: 'post_id', type: 'uuid' }) postId: string;
  @Column({ type: 'text' }) protocol: string;
  @Column({ name: 'taken_at', type: 'timestamptz' }) takenAt: Date;
  @Column({ type: 'integer', default: 0 }) likes: number;
  @Column({ type: 'integer', default: 0 }) reposts: number;
  @Column({ type: 'integer', default: 0 }) replies: number;
  @Column({ type: 'integer', default: 0 }) quotes: number;
  @Column({ name: 'audience_size', type: 'integer', default: 0 }) audienceSize: number;
  @Column({ name: 'deliveries_ok', type: 'integer', default: 0 }) deliveriesOk: number;
  @Column({ name: 'deliveries_failed', type: 'integer', default: 0 }) deliveriesFailed: number;
}
