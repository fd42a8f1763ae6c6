import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ActivityPub: each profile's key pairs (generated once) and Fedify's key–value store. */
export class ActivityPub1763900000000 implements MigrationInterface {
  name = 'ActivityPub1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE actor_key (
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        algorithm text NOT NULL CHECK (algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')),
        private_key jsonb NOT NULL,
        public_key jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (profile_id, algorithm)
      )`);
    await db.query(`
      CREATE TABLE fedify_kv (
        key text[] PRIMARY KEY,
        value jsonb NOT NULL,
        expires_at timestamptz
      )`);
    await db.query(`CREATE INDEX fedify_kv_expires_idx ON fedify_kv (expires_at) WHERE expires_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE fedify_kv`);
    await db.query(`DROP TABLE actor_key`);
  }
}
