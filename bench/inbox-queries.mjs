// Inbox list queries at scale: loads N generated interactions (default 1,000,000) into a scratch
// database migrated with Herald's own migrations, then times the exact SQL InboxQueries builds,
// with its indexes and, as the baseline in the same run, without them (sequential scans) and
// against a primary-key lookup. Prints the EXPLAIN ANALYZE plan of each indexed query.
// Usage: npm run bench:inbox [-- --rows=1000000 --database=postgres://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../dist/src/database/data-source-options.js';
import { runMigrations } from '../dist/src/database/migrator.js';
import { encodeInboxCursor } from '../dist/src/inbox/inbox-cursor.js';
import { InboxQueries } from '../dist/src/inbox/inbox.queries.js';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const ROWS = Number(args.rows ?? 1_000_000);
const ADMIN_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(args.runs ?? 7);
const BASELINE_RUNS = Number(args['baseline-runs'] ?? 3);

const dbName = `herald_bench_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const log = (...parts) => console.log(...parts);

async function withAdmin(sql) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

// Twelve pseudo-random words per interaction, picked arithmetically (a subquery per row would dominate the load).
const WORD_PICKS = Array.from(
  { length: 12 },
  (_, k) => `words[1 + ((g::bigint * ${2654435761 + k * 40503}) % array_length(words, 1))::int]`,
).join(` || ' ' || `);

async function load(client, big, small) {
  // Drop the interaction indexes during the bulk load and rebuild them afterwards, as a restore would.
  const { rows: indexes } = await client.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'interaction' AND indexname LIKE 'interaction\\_%\\_idx'`,
  );
  for (const index of indexes) await client.query(`DROP INDEX ${index.indexname}`);
  await client.query(
    `INSERT INTO profile (id, handle, domain, display_name, protocols) VALUES
    ($1, 'big', 'big.example', 'Big', '{activitypub,atproto}'), ($2, 'small', 'small.example', 'Small', '{activitypub,atproto}')`,
    [big, small],
  );
  await client.query(
    `INSERT INTO post (profile_id, kind, text, status) SELECT $1, 'note', 'post ' || g, 'published' FROM generate_series(1, 1000) g`,
    [big],
  );
  const started = performance.now();
  await client.query(
    `
    WITH posts AS (SELECT array_agg(id ORDER BY created_at, id) AS ids FROM post),
         vocab AS (SELECT string_to_array('the a to of and in is for on that this with you it we are be at as your
           have from or by not will our can all more about new what when please thanks question policy health energy
           climate trade europe vote data rights law school water food support help great agree disagree why how', ' ') AS words)
    INSERT INTO interaction (profile_id, protocol, kind, remote_id, author_id, author_handle, author_name, author_domain,
                             target_post_id, content_text, content_html, received_at, state, labels)
    SELECT CASE WHEN g % 10 = 0 THEN $2::uuid ELSE $1::uuid END,
           CASE WHEN (g / 3) % 2 = 0 THEN 'activitypub' ELSE 'atproto' END,
           (ARRAY['reply','reply','reply','mention','like','like','like','repost','follow','quote'])[1 + ((g::bigint * 7919) % 10)::int],
           'https://remote.example/objects/' || g,
           'https://server' || (g % 500) || '.example/users/u' || (g % 50000),
           '@u' || (g % 50000) || '@server' || (g % 500) || '.example',
           'User ' || (g % 50000),
           'server' || (g % 500) || '.example',
           CASE WHEN g % 3 = 0 THEN (SELECT ids[1 + g % 1000] FROM posts) END,
           t.text, '<p>' || t.text || '</p>',
           timestamptz '2026-11-01' - g * interval '30 seconds' - (g % 1000) * interval '1 millisecond',
           CASE WHEN g <= 20000 THEN 'new' WHEN g % 50 = 0 THEN 'spam' WHEN g % 20 = 0 THEN 'hidden' ELSE 'resolved' END,
           CASE WHEN g % 1000 = 0 THEN '{press}'::text[] ELSE '{}'::text[] END
    FROM generate_series(1, $3::int) g, vocab,
    LATERAL (SELECT ${WORD_PICKS} || CASE WHEN g % 997 = 0 THEN ' budget' ELSE '' END AS text) t`,
    [big, small, ROWS],
  );
  log(`loaded ${ROWS.toLocaleString('en')} interactions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const indexStarted = performance.now();
  for (const index of indexes) await client.query(index.indexdef);
  await client.query('ANALYZE');
  log(`rebuilt ${indexes.length} indexes and analysed in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
}

async function time(client, sql, params, runs) {
  await client.query(sql, params); // warm the cache, as a console under use would be
  const timings = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await client.query(sql, params);
    timings.push(performance.now() - started);
  }
  return median(timings);
}

async function main() {
  await withAdmin(`CREATE DATABASE ${dbName}`);
  const dataSource = new DataSource(dataSourceOptions(dbUrl, 'public'));
  await dataSource.initialize();
  const client = new pg.Client({ connectionString: dbUrl });
  try {
    await runMigrations(dataSource);
    await client.connect();
    const big = randomUUID();
    await load(client, big, randomUUID());
    const view = new InboxQueries(dataSource);
    const deep = (
      await client.query(
        `SELECT received_at, id FROM interaction WHERE profile_id = $1 AND state NOT IN ('hidden', 'spam') ORDER BY received_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [big, Math.min(50_000, Math.floor(ROWS / 4))],
      )
    ).rows[0];
    const sample = (
      await client.query(
        `SELECT id, author_id, author_handle, target_post_id FROM interaction WHERE profile_id = $1 AND target_post_id IS NOT NULL OFFSET $2 LIMIT 1`,
        [big, Math.floor(ROWS / 100)],
      )
    ).rows[0];
    const cases = [
      ['first page (default states)', {}],
      [
        `page after ${Math.min(50_000, Math.floor(ROWS / 4)).toLocaleString('en')} rows (cursor)`,
        { cursor: encodeInboxCursor({ receivedAt: deep.received_at, id: deep.id }) },
      ],
      ['state=new', { state: ['new'] }],
      ['state=spam', { state: ['spam'] }],
      ['kind=mention', { kind: ['mention'] }],
      ['protocol=atproto, kind=quote', { protocol: 'atproto', kind: ['quote'] }],
      ['text search: rare word', { q: 'budget' }],
      ['text search: two common words', { q: 'climate vote' }],
      ['author id', { author: sample.author_id }],
      ['author handle', { author: sample.author_handle }],
      ['label=press', { label: 'press' }],
      ['post', { postId: sample.target_post_id }],
      ['one day', { since: new Date('2026-06-01T00:00:00Z'), until: new Date('2026-06-02T00:00:00Z') }],
    ];
    const pk = await time(client, 'SELECT * FROM interaction WHERE id = $1', [sample.id], RUNS);
    log(`\nbaseline: primary-key lookup ${pk.toFixed(2)} ms (median of ${RUNS})\n`);
    const results = [];
    for (const [name, query] of cases) {
      const [sql, params] = view.listQuery(big, query, 26).getQueryAndParameters();
      const indexed = await time(client, sql, params, RUNS);
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows.map((row) => row['QUERY PLAN']);
      await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
      const unindexed = await time(client, sql, params, BASELINE_RUNS);
      await client.query('RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan');
      results.push({ name, indexed, unindexed });
      log(`── ${name}\n${plan.map((line) => `   ${line}`).join('\n')}\n`);
    }
    log(`\n${ROWS.toLocaleString('en')} interactions, medians in ms (indexed: ${RUNS} runs, without indexes: ${BASELINE_RUNS} runs)`);
    log(`${'query'.padEnd(34)}${'indexed'.padStart(10)}${'no index'.padStart(11)}${'speed-up'.padStart(10)}${'× pk lookup'.padStart(13)}`);
    for (const { name, indexed, unindexed } of results) {
      log(
        `${name.padEnd(34)}${indexed.toFixed(2).padStart(10)}${unindexed.toFixed(1).padStart(11)}${`${(unindexed / indexed).toFixed(0)}×`.padStart(10)}${`${(indexed / pk).toFixed(1)}×`.padStart(13)}`,
      );
    }
  } finally {
    await client.end().catch(() => undefined);
    await dataSource.destroy();
    await withAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
