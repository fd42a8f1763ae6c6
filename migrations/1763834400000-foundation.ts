import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763834400000 implements MigrationInterface {
  name = 'Foundation1763834400000';

  // Keyset-paginated timestamps (post.created_at, interaction.received_at) are kept to the
  // millisecond, so a cursor carried as a JavaScript Date round-trips exactly.
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX staff_user_email_key ON staff_user (lower(email))`);

    await db.query(`
      CREATE TABLE staff_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX staff_session_user_idx ON staff_session (staff_user_id)`);

    await db.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX audit_event_created_idx ON audit_event (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_event_subject_idx ON audit_event (subject_type, subject_id)`);

    await db.query(`
      CREATE TABLE profile (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        handle text NOT NULL,
        domain text NOT NULL,
        display_name text NOT NULL,
        bio text NOT NULL DEFAULT '',
        avatar_media_id uuid,
        banner_media_id uuid,
        fields jsonb NOT NULL DEFAULT '[]',
        organisation_type text,
        website text,
        managed_by text,
        protocols text[] NOT NULL,
        requires_approval boolean NOT NULL DEFAULT false,
        long_post_mode text NOT NULL DEFAULT 'thread' CHECK (long_post_mode IN ('thread', 'link')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX profile_handle_key ON profile (lower(handle))`);
    await db.query(`CREATE UNIQUE INDEX profile_domain_key ON profile (lower(domain))`);

    await db.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        storage_key text NOT NULL,
        mime_type text NOT NULL,
        size_bytes integer NOT NULL,
        width integer NOT NULL,
        height integer NOT NULL,
        alt_text text NOT NULL DEFAULT '',
        sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX media_profile_idx ON media (profile_id, created_at DESC)`);
    await db.query(`ALTER TABLE profile ADD FOREIGN KEY (avatar_media_id) REFERENCES media(id) ON DELETE SET NULL`);
    await db.query(`ALTER TABLE profile ADD FOREIGN KEY (banner_media_id) REFERENCES media(id) ON DELETE SET NULL`);

    await db.query(`
      CREATE TABLE post (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('note', 'article')),
        text text NOT NULL,
        title text,
        summary text,
        language text,
        content_warning text,
        attachments jsonb NOT NULL DEFAULT '[]',
        thread_parent_id uuid REFERENCES post(id) ON DELETE SET NULL,
        reply_to_interaction_id uuid,
        status text NOT NULL CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'deleted')),
        scheduled_at timestamptz,
        published_at timestamptz,
        created_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        approved_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await db.query(`CREATE INDEX post_profile_idx ON post (profile_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX post_published_idx ON post (profile_id, published_at DESC, id DESC) WHERE status = 'published'`);
    await db.query(`CREATE INDEX post_scheduled_idx ON post (scheduled_at) WHERE status = 'scheduled'`);
    await db.query(`CREATE INDEX post_thread_parent_idx ON post (thread_parent_id) WHERE thread_parent_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE publication (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL REFERENCES post(id) ON DELETE CASCADE,
        protocol text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'published', 'failed', 'retracted')),
        action text NOT NULL CHECK (action IN ('publish', 'update', 'retract')),
        due_at timestamptz,
        remote_id text,
        remote_cid text,
        remote_refs jsonb NOT NULL DEFAULT '{}',
        revision integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (post_id, protocol)
      )`);
    await db.query(`CREATE INDEX publication_due_idx ON publication (due_at) WHERE state = 'pending' AND due_at IS NOT NULL`);
    await db.query(`CREATE INDEX publication_remote_idx ON publication (protocol, remote_id) WHERE remote_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE follower (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        protocol text NOT NULL,
        remote_actor_id text NOT NULL,
        handle text,
        display_name text,
        avatar_url text,
        profile_url text,
        inbox_url text,
        shared_inbox_url text,
        domain text,
        follow_id text,
        since timestamptz NOT NULL DEFAULT now(),
        until timestamptz,
        UNIQUE (profile_id, protocol, remote_actor_id)
      )`);
    await db.query(`CREATE INDEX follower_active_idx ON follower (profile_id, protocol) WHERE until IS NULL`);
    await db.query(`CREATE INDEX follower_domain_idx ON follower (domain)`);

    await db.query(`
      CREATE TABLE interaction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid NOT NULL REFERENCES profile(id) ON DELETE CASCADE,
        protocol text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reply', 'mention', 'quote', 'like', 'repost', 'follow', 'unfollow', 'report')),
        remote_id text NOT NULL,
        author_id text NOT NULL,
        author_handle text,
        author_name text,
        author_avatar_url text,
        author_url text,
        author_domain text,
        target_post_id uuid REFERENCES post(id) ON DELETE SET NULL,
        parent_remote_id text,
        reply_refs jsonb NOT NULL DEFAULT '{}',
        content_html text,
        content_text text,
        url text,
        remote_created_at timestamptz,
        received_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'assigned', 'answered', 'resolved', 'hidden', 'spam')),
        assignee_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        labels text[] NOT NULL DEFAULT '{}',
        withdrawn_at timestamptz,
        UNIQUE (protocol, remote_id)
      )`);
    await db.query(`CREATE INDEX interaction_inbox_idx ON interaction (profile_id, received_at DESC, id DESC)`);
    await db.query(`CREATE INDEX interaction_target_idx ON interaction (target_post_id) WHERE target_post_id IS NOT NULL`);
    await db.query(`ALTER TABLE post ADD FOREIGN KEY (reply_to_interaction_id) REFERENCES interaction(id) ON DELETE SET NULL`);

    await db.query(`
      CREATE TABLE block (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id uuid REFERENCES profile(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('account', 'domain')),
        protocol text,
        value text NOT NULL,
        reason text,
        created_by uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX block_unique_key ON block (coalesce(profile_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, coalesce(protocol, ''), value)`,
    );

    await db.query(`
      CREATE TABLE metric_snapshot (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        post_id uuid NOT NULL REFERENCES post(id) ON DELETE CASCADE,
        protocol text NOT NULL,
        taken_at timestamptz NOT NULL,
        likes integer NOT NULL DEFAULT 0,
        reposts integer NOT NULL DEFAULT 0,
        replies integer NOT NULL DEFAULT 0,
        quotes integer NOT NULL DEFAULT 0,
        audience_size integer NOT NULL DEFAULT 0,
        deliveries_ok integer NOT NULL DEFAULT 0,
        deliveries_failed integer NOT NULL DEFAULT 0
      )`);
    await db.query(`CREATE INDEX metric_snapshot_post_idx ON metric_snapshot (post_id, protocol, taken_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['metric_snapshot', 'block']) await db.query(`DROP TABLE ${table}`);
    await db.query(`ALTER TABLE post DROP COLUMN reply_to_interaction_id`);
    for (const table of ['interaction', 'follower', 'publication', 'post']) await db.query(`DROP TABLE ${table}`);
    await db.query(`ALTER TABLE profile DROP COLUMN avatar_media_id, DROP COLUMN banner_media_id`);
    for (const table of ['media', 'profile', 'audit_event', 'staff_session', 'staff_user']) await db.query(`DROP TABLE ${table}`);
  }
}
