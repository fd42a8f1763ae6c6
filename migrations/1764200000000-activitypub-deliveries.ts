import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ActivityPub fan-out state in PostgreSQL: one row per activity sent and one
 * per destination inbox, so Redis only carries work and a lost job is found
 * again here. Hosts keep their own health for the delivery breaker.
 */
export class ActivityPubDeliveries1764200000000 implements MigrationInterface {
  name = 'ActivityPubDeliveries1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ap_fanout (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        profile_id uuid NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
        activity_id text NOT NULL,
        activity_type text NOT NULL,
        body text NOT NULL,
        publication_id uuid REFERENCES publication (id) ON DELETE SET NULL,
        publication_revision integer,
        publication_action text,
        destinations integer NOT NULL,
        audience integer,
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ap_fanout_publication_idx ON ap_fanout (publication_id)`);
    await db.query(`CREATE INDEX ap_fanout_unsettled_idx ON ap_fanout (id) WHERE settled_at IS NULL`);
    await db.query(`
      CREATE TABLE ap_delivery (
        id bigserial PRIMARY KEY,
        fanout_id bigint NOT NULL REFERENCES ap_fanout (id) ON DELETE CASCADE,
        inbox_url text NOT NULL,
        host text NOT NULL,
        shared_inbox boolean NOT NULL DEFAULT false,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'gone', 'given_up')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        leased_until timestamptz,
        first_outcome_at timestamptz,
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (fanout_id, inbox_url)
      )`);
    await db.query(`CREATE INDEX ap_delivery_due_idx ON ap_delivery (next_attempt_at) WHERE state = 'pending'`);
    await db.query(`CREATE INDEX ap_delivery_fanout_due_idx ON ap_delivery (fanout_id, next_attempt_at) WHERE state = 'pending'`);
    await db.query(`
      CREATE TABLE ap_delivery_host (
        host text PRIMARY KEY,
        consecutive_failures integer NOT NULL DEFAULT 0,
        open_until timestamptz,
        last_error text,
        last_failure_at timestamptz,
        last_success_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ap_delivery_host`);
    await db.query(`DROP TABLE ap_delivery`);
    await db.query(`DROP TABLE ap_fanout`);
  }
}
