import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edits of published posts that wait for an approver: the live post stays as it is until
 * one is approved. At most one pending edit per post, held by a partial unique index.
 */
export class PostRevisions1764310000000 implements MigrationInterface {
  name = 'PostRevisions1764310000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE post_revision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL REFERENCES post(id) ON DELETE CASCADE,
        content jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected', 'replaced', 'discarded')),
        proposed_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        decided_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX post_revision_one_pending_idx ON post_revision (post_id) WHERE state = 'pending'`);
    await db.query(`CREATE INDEX post_revision_post_idx ON post_revision (post_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE post_revision`);
  }
}
