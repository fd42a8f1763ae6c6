import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: work that must follow a commit is a row written in
 * the same transaction, so neither a crash nor a Redis loss can drop it.
 * Existing due work (pending publications, scheduled posts) is carried over.
 */
export class Outbox1763990000000 implements MigrationInterface {
  name = 'Outbox1763990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        available_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        recheck_from timestamptz NOT NULL DEFAULT now(),
        dispatches integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX outbox_recheck_idx ON outbox (recheck_from)`);
    await db.query(`
      INSERT INTO outbox (kind, payload, available_at, recheck_from)
      SELECT 'publication', jsonb_build_object('publicationId', id, 'revision', revision), due_at, due_at
      FROM publication WHERE state = 'pending' AND due_at IS NOT NULL`);
    await db.query(`
      INSERT INTO outbox (kind, payload, available_at, recheck_from)
      SELECT 'scheduled-post', jsonb_build_object('postId', id), scheduled_at, scheduled_at
      FROM post WHERE status = 'scheduled' AND scheduled_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
  }
}
