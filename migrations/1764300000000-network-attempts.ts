import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How each profile's connection to each network is doing: failed attempts since
 * the last success, when Herald tries again, the last error and the last success.
 * Account creation and publishing wait for `next_attempt_at` instead of retrying
 * at once, and the log names a failure once per `logged_until` period.
 */
export class NetworkAttempts1764300000000 implements MigrationInterface {
  name = 'NetworkAttempts1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network_attempt (
        profile_id uuid NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
        protocol text NOT NULL CHECK (protocol IN ('activitypub', 'atproto')),
        failures integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        logged_until timestamptz,
        PRIMARY KEY (profile_id, protocol)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network_attempt`);
  }
}
