import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What inbox text search looks in; InboxView repeats this exact expression so the index serves it. */
const INTERACTION_SEARCH_VECTOR =
  "to_tsvector('simple'::regconfig, coalesce(author_name, '') || ' ' || coalesce(author_handle, '') || ' ' || coalesce(content_text, ''))";

/** Unified inbox triage: search, notes, the event log for live updates, keyword filters. */
export class InboxTriage1763920800000 implements MigrationInterface {
  name = 'InboxTriage1763920800000';

  async up(db: QueryRunner): Promise<void> {
    // An expression index rather than a generated column: TypeORM's schema check cannot read generated columns.
    // 'simple' config: remote text comes in every language, so no stemming for one of them.
    await db.query(`CREATE INDEX interaction_search_idx ON interaction USING gin (${INTERACTION_SEARCH_VECTOR})`);
    await db.query(`CREATE INDEX interaction_state_idx ON interaction (profile_id, state, received_at DESC, id DESC)`);
    await db.query(`CREATE INDEX interaction_kind_idx ON interaction (profile_id, kind, received_at DESC, id DESC)`);
    await db.query(`CREATE INDEX interaction_author_idx ON interaction (profile_id, author_id)`);
    await db.query(`CREATE INDEX interaction_handle_idx ON interaction (profile_id, author_handle) WHERE author_handle IS NOT NULL`);
    await db.query(`CREATE INDEX interaction_domain_idx ON interaction (author_domain) WHERE author_domain IS NOT NULL`);
    await db.query(`CREATE INDEX interaction_labels_idx ON interaction USING gin (labels)`);
    await db.query(`CREATE INDEX interaction_parent_idx ON interaction (protocol, parent_remote_id) WHERE parent_remote_id IS NOT NULL`);
    await db.query(`CREATE INDEX post_reply_to_idx ON post (reply_to_interaction_id) WHERE reply_to_interaction_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE interaction_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        interaction_id uuid NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,
        author_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`);
    await db.query(`CREATE INDEX interaction_note_idx ON interaction_note (interaction_id, created_at)`);

    await db.query(`
      CREATE TABLE inbox_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        type text NOT NULL,
        interaction_id uuid,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX inbox_event_profile_idx ON inbox_event (profile_id, id)`);

    await db.query(`
      CREATE TABLE keyword_filter (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        pattern text NOT NULL,
        action text NOT NULL CHECK (action IN ('label', 'hide')),
        label text,
        created_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (action <> 'label' OR label IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX keyword_filter_profile_idx ON keyword_filter (profile_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['keyword_filter', 'inbox_event', 'interaction_note']) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP INDEX post_reply_to_idx`);
    for (const index of ['parent', 'labels', 'domain', 'handle', 'author', 'kind', 'state', 'search'])
      await db.query(`DROP INDEX interaction_${index}_idx`);
  }
}
