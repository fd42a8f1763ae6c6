import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who an interaction was addressed to (public, unlisted, followers, direct), so a private one is
 * never shown publicly and its answer keeps that audience; the emoji of a reaction; a post's own audience.
 */
export class AudienceAndReactions1764020000000 implements MigrationInterface {
  name = 'AudienceAndReactions1764020000000';

  async up(db: QueryRunner): Promise<void> {
    const audience = `text NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'unlisted', 'followers', 'direct'))`;
    await db.query(`ALTER TABLE interaction ADD COLUMN audience ${audience}`);
    await db.query(`ALTER TABLE interaction ADD COLUMN reaction jsonb`);
    await db.query(`ALTER TABLE post ADD COLUMN audience ${audience}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE post DROP COLUMN audience`);
    await db.query(`ALTER TABLE interaction DROP COLUMN reaction`);
    await db.query(`ALTER TABLE interaction DROP COLUMN audience`);
  }
}
