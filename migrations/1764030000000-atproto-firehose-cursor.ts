import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AtprotoFirehoseCursor1764030000000 implements MigrationInterface {
  name = 'AtprotoFirehoseCursor1764030000000';

  async up(db: QueryRunner): Promise<void> {
    // Where the firehose subscription left off, per service: a relay's sequence numbers mean nothing to another.
    await db.query(`
      CREATE TABLE atproto_firehose_cursor (
        service text PRIMARY KEY,
        seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE atproto_firehose_cursor`);
  }
}
