import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows the inbound path keeps in process caches (see src/table-versions/). */
const TABLES = ['profile', 'post', 'block', 'keyword_filter'];

/**
 * One version per cached table, raised by every committed write to it, so a process can tell with
 * one read whether what it cached is still current. The raise runs in a deferred trigger: at commit,
 * once per transaction and table, and inside it, so a reader never sees a new version before the
 * change, and the version row's lock is the last one the writer takes (no deadlock with its other locks).
 */
export class TableVersions1764410000000 implements MigrationInterface {
  name = 'TableVersions1764410000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE table_version (
        name text PRIMARY KEY,
        version bigint NOT NULL DEFAULT 1,
        raised_by xid8
      )`);
    await db.query(`INSERT INTO table_version (name) SELECT unnest($1::text[])`, [TABLES]);
    await db.query(`
      CREATE FUNCTION raise_table_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE table_version SET version = version + 1, raised_by = pg_current_xact_id()
        WHERE name = TG_TABLE_NAME AND raised_by IS DISTINCT FROM pg_current_xact_id();
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      // Posts are edited often (text, schedule); an inbound activity checks only their status and owner.
      const when = table === 'post' ? 'AFTER INSERT OR DELETE OR UPDATE OF status, profile_id' : 'AFTER INSERT OR UPDATE OR DELETE';
      await db.query(`
        CREATE CONSTRAINT TRIGGER ${table}_raises_version ${when} ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_table_version()`);
      await db.query(`CREATE TRIGGER ${table}_truncate_raises_version AFTER TRUNCATE ON ${table} EXECUTE FUNCTION raise_table_version()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await db.query(`DROP TRIGGER ${table}_truncate_raises_version ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_raises_version ON ${table}`);
    }
    await db.query(`DROP FUNCTION raise_table_version()`);
    await db.query(`DROP TABLE table_version`);
  }
}
