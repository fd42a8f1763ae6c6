import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox event log becomes the event log every live console stream reads:
 * one table, one NOTIFY channel, a topic per stream (inbox, publication).
 */
export class EventLog1763942400000 implements MigrationInterface {
  name = 'EventLog1763942400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE inbox_event RENAME TO event_log`);
    await db.query(`ALTER TABLE event_log RENAME CONSTRAINT inbox_event_pkey TO event_log_pkey`);
    await db.query(`ALTER TABLE event_log RENAME CONSTRAINT inbox_event_profile_id_fkey TO event_log_profile_id_fkey`);
    await db.query(`ALTER SEQUENCE inbox_event_id_seq RENAME TO event_log_id_seq`);
    await db.query(`ALTER TABLE event_log RENAME COLUMN interaction_id TO subject_id`);
    // Every event so far is an inbox event; new ones name their topic.
    await db.query(`ALTER TABLE event_log ADD COLUMN topic text NOT NULL DEFAULT 'inbox'`);
    await db.query(`ALTER TABLE event_log ALTER COLUMN topic DROP DEFAULT`);
    await db.query(`DROP INDEX inbox_event_profile_idx`);
    // Each process tails a topic; each console stream reads one profile's events of a topic.
    await db.query(`CREATE INDEX event_log_topic_idx ON event_log (topic, id)`);
    await db.query(`CREATE INDEX event_log_profile_idx ON event_log (topic, profile_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM event_log WHERE topic <> 'inbox'`);
    await db.query(`DROP INDEX event_log_profile_idx`);
    await db.query(`DROP INDEX event_log_topic_idx`);
    await db.query(`ALTER TABLE event_log DROP COLUMN topic`);
    await db.query(`ALTER TABLE event_log RENAME COLUMN subject_id TO interaction_id`);
    await db.query(`ALTER SEQUENCE event_log_id_seq RENAME TO inbox_event_id_seq`);
    await db.query(`ALTER TABLE event_log RENAME CONSTRAINT event_log_profile_id_fkey TO inbox_event_profile_id_fkey`);
    await db.query(`ALTER TABLE event_log RENAME CONSTRAINT event_log_pkey TO inbox_event_pkey`);
    await db.query(`ALTER TABLE event_log RENAME TO inbox_event`);
    await db.query(`CREATE INDEX inbox_event_profile_idx ON inbox_event (profile_id, id)`);
  }
}
