import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AtprotoAccount1763852400000 implements MigrationInterface {
  name = 'AtprotoAccount1763852400000';

  async up(db: QueryRunner): Promise<void> {
    // One PDS account per profile. The password is random and only Herald knows it (invite-only PDS).
    await db.query(`
      CREATE TABLE atproto_account (
        profile_id uuid PRIMARY KEY REFERENCES profile(id) ON DELETE CASCADE,
        did text NOT NULL UNIQUE,
        handle text NOT NULL,
        password text NOT NULL,
        notification_cursor text,
        polled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE atproto_account`);
  }
}
