import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follower history for reports: the `follower` row keeps only a follower's
 * latest `since`/`until` (a re-follow overwrites them), so each follow and
 * unfollow is also written as an event. Existing rows are carried over as one
 * follow (and an unfollow when ended). Indexes for the reports' reads.
 */
export class Analytics1764010000000 implements MigrationInterface {
  name = 'Analytics1764010000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE follower_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        protocol text NOT NULL,
        remote_actor_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('follow', 'unfollow')),
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX follower_event_profile_idx ON follower_event (profile_id, occurred_at)`);
    await db.query(`
      INSERT INTO follower_event (profile_id, protocol, remote_actor_id, kind, occurred_at)
      SELECT profile_id, protocol, remote_actor_id, 'follow', since FROM follower
      UNION ALL
      SELECT profile_id, protocol, remote_actor_id, 'unfollow', until FROM follower WHERE until IS NOT NULL`);
    // Fediverse figures are counted per post from the interactions that target it: an index-only scan
    // in post order, so a year of posts aggregates without visiting (or sorting) the interactions.
    await db.query(
      `CREATE INDEX interaction_figures_idx ON interaction (target_post_id, protocol, kind) WHERE target_post_id IS NOT NULL AND withdrawn_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX interaction_figures_idx`);
    await db.query(`DROP TABLE follower_event`);
  }
}
