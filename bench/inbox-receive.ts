// Storing received interactions: InboxService.receive with its real repositories on a scratch database
// migrated with Herald's own migrations (with 50 blocks and 5 keyword filters in it), three ways in one run:
//   (a) baseline: the statements receive sent for each interaction before group commit (commit 9fed06e):
//       the block check, the keyword filters, then BEGIN, INSERT … RETURNING id, SELECT of the row, the
//       event-log lock, INSERT of the event, NOTIFY, COMMIT; `--concurrency` calls in flight;
//   (b) receive now, one call at a time;
//   (c) receive now, `--concurrency` calls in flight (closed loop, as the worker's 50 BullMQ jobs).
// Half replies, half likes, from `--actors` accounts. Printed for each: queries per stored interaction
// (counted at the driver), stored/s, CPU ms per stored interaction of this process and of the database's
// PostgreSQL backends (/proc), and the ratios against (a).
// Usage: npm run bench:inbox-receive [-- --interactions=4000 --concurrency=50 --actors=200 --database=postgres://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource, type Logger } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrator.js';
import { EventLogRepository } from '../src/event-log/event-log.repository.js';
import { EventLogTail } from '../src/event-log/event-log-tail.js';
import { boundedRemoteHtml, boundedRemoteText, plainLabel, safeHttpUrl, textFromHtml } from '../src/inbox/content-sanitizer.js';
import { InboxEvents } from '../src/inbox/inbox-events.js';
import { toInboxItem } from '../src/inbox/inbox-item.js';
import { InboxService } from '../src/inbox/inbox.service.js';
import { Interaction } from '../src/inbox/interaction.entity.js';
import type { InteractionReceived } from '../src/inbox/interaction-received.js';
import { InteractionsRepository } from '../src/inbox/interactions.repository.js';
import { BlocksRepository } from '../src/moderation-rules/blocks.repository.js';
import { InboundRules } from '../src/moderation-rules/inbound-rules.js';
import { KeywordFiltersRepository } from '../src/moderation-rules/keyword-filters.repository.js';
import { applyKeywordFilters } from '../src/moderation-rules/keyword-match.js';
import { TableVersions } from '../src/table-versions/table-versions.js';
import { adminSql, cpuMsOf, machine, flagArgs } from './support/herald-stack.js';

const args = flagArgs();
const INTERACTIONS = Number(args.interactions ?? 4_000);
const CONCURRENCY = Number(args.concurrency ?? 50);
const ACTORS = Number(args.actors ?? 200);
const ADMIN_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const dbName = `herald_bench_receive_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
})();

/** Counts every statement the pool sends (BEGIN and COMMIT included). */
class CountingLogger implements Logger {
  queries = 0;
  logQuery(): void {
    this.queries += 1;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const admin = (sql: string) => adminSql(ADMIN_URL, sql);

/** The i-th interaction of a run: a reply or a like of one post, from one of the actors. */
function interaction(profileId: string, postId: string, run: string, index: number): InteractionReceived {
  const actor = index % ACTORS;
  const host = `a${actor}.example`;
  const remoteId = `https://${host}/${run}/${index}`;
  const author = { id: `https://${host}/users/u${actor}`, handle: `@u${actor}@${host}`, name: `User ${actor}` };
  return index % 2
    ? { profileId, protocol: 'activitypub', kind: 'like', remoteId, author, targetPostId: postId }
    : {
        profileId,
        protocol: 'activitypub',
        kind: 'reply',
        remoteId,
        author,
        targetPostId: postId,
        html: `<p>Reply ${index} about the budget and the climate, from ${author.name}</p>`,
        replyRefs: { objectId: remoteId },
      };
}

/** The receive path as it was before group commit (commit 9fed06e), statement for statement. */
function receiveAsBefore(dataSource: DataSource, blocks: BlocksRepository, filters: KeywordFiltersRepository) {
  return async (received: InteractionReceived): Promise<Interaction | null> => {
    const domain = new URL(received.author.id).host;
    if (await blocks.isBlocked({ profileId: received.profileId, protocol: received.protocol, actorId: received.author.id, domain }))
      return null;
    const contentHtml = received.html ? boundedRemoteHtml(received.html) : null;
    const contentText = received.html ? boundedRemoteText(textFromHtml(received.html)) : null;
    const authorName = plainLabel(received.author.name);
    const authorHandle = plainLabel(received.author.handle);
    const verdict = applyKeywordFilters(
      await filters.listForProfile(received.profileId),
      [authorName, authorHandle, contentText].filter(Boolean).join('\n'),
    );
    return dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(Interaction)
        .values({
          profileId: received.profileId,
          protocol: received.protocol,
          kind: received.kind,
          remoteId: received.remoteId,
          authorId: received.author.id,
          authorHandle,
          authorName,
          authorDomain: domain,
          targetPostId: received.targetPostId ?? null,
          replyRefs: received.replyRefs ?? {},
          contentHtml,
          contentText,
          url: safeHttpUrl(received.url),
          state: verdict.hidden ? 'hidden' : 'new',
          labels: verdict.labels,
        } as never)
        .orIgnore()
        .returning('id')
        .execute();
      const id = result.raw[0]?.id as string | undefined;
      if (!id) return null;
      const stored = await manager.getRepository(Interaction).findOneByOrFail({ id });
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('event_log'), hashtext($1))`, ['inbox']);
      await manager.query(
        `INSERT INTO event_log (topic, profile_id, type, subject_id, payload) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`,
        ['inbox', stored.profileId, 'interaction.received', stored.id, JSON.stringify(toInboxItem(stored))],
      );
      await manager.query(`SELECT pg_notify($1, $2)`, ['event_log', 'inbox']);
      return stored;
    });
  };
}

interface Result {
  name: string;
  stored: number;
  seconds: number;
  queries: number;
  nodeMs: number;
  postgresMs: number;
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE ${dbName}`);
  const logger = new CountingLogger();
  const dataSource = new DataSource({ ...dataSourceOptions(dbUrl, 'public'), logger, logging: true });
  const monitor = new pg.Client({ connectionString: dbUrl, application_name: 'bench' });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    await monitor.connect();
    const [{ id: profileId }] = await dataSource.query(
      `INSERT INTO profile (handle, domain, display_name, protocols) VALUES ('eu', 'eu.example', 'EU', '{activitypub}') RETURNING id`,
    );
    const [{ id: postId }] = await dataSource.query(
      `INSERT INTO post (profile_id, kind, text, status, published_at) VALUES ($1, 'note', 'Our post', 'published', now()) RETURNING id`,
      [profileId],
    );
    await dataSource.query(
      `INSERT INTO block (profile_id, kind, value) SELECT $1, 'domain', 'blocked' || g || '.example' FROM generate_series(1, 50) g`,
      [profileId],
    );
    await dataSource.query(
      `INSERT INTO keyword_filter (profile_id, pattern, action, label)
       SELECT $1, p, 'label', 'l-' || p FROM unnest('{refund,crypto,"free money",invoice,password}'::text[]) p`,
      [profileId],
    );

    const log = new EventLogRepository(dataSource);
    const blocks = new BlocksRepository(dataSource);
    const filters = new KeywordFiltersRepository(dataSource);
    const versions = new TableVersions(dataSource);
    const inbox = new InboxService(
      new InteractionsRepository(dataSource),
      new InboxEvents(log, new EventLogTail(log)),
      new InboundRules(versions, blocks, filters),
      versions,
    );
    const before = receiveAsBefore(dataSource, blocks, filters);

    /** CPU ms of each of the database's backends (the pool's; a backend that closes meanwhile was idle). */
    const backendsCpu = async () => {
      const { rows } = await monitor.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name <> 'bench'`,
        [dbName],
      );
      return new Map(rows.map((row) => [row.pid, cpuMsOf(row.pid)]));
    };
    const cpuSince = (start: Map<number, number>, end: Map<number, number>) =>
      [...end].reduce((sum, [pid, ms]) => sum + ms - (start.get(pid) ?? 0), 0);
    const measure = async (
      name: string,
      receive: (received: InteractionReceived) => Promise<unknown>,
      concurrency: number,
      count = INTERACTIONS,
    ) => {
      // Every pooled connection open before the clock starts, so their backends are all counted.
      await Promise.all(Array.from({ length: 10 }, () => dataSource.query('SELECT pg_sleep(0.02)')));
      const run = randomBytes(3).toString('hex');
      let next = 0;
      let stored = 0;
      const queries = logger.queries;
      const postgres = await backendsCpu();
      const node = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            if (await receive(interaction(profileId, postId, run, next++))) stored += 1;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(node);
      const result: Result = {
        name,
        stored,
        seconds,
        queries: logger.queries - queries,
        nodeMs: (cpu.user + cpu.system) / 1000,
        postgresMs: cpuSince(postgres, await backendsCpu()),
      };
      if (stored !== count) throw new Error(`${name}: stored ${stored} of ${count}`);
      return result;
    };

    console.log(`bench:inbox-receive: ${INTERACTIONS} interactions, ${ACTORS} actors, concurrency ${CONCURRENCY}; ${machine()}`);
    // A short warm-up of each path (JIT, the database's caches), not counted.
    await measure('warm-up', before, CONCURRENCY, 500);
    await measure('warm-up', (received) => inbox.receive(received), CONCURRENCY, 500);
    const results = [
      await measure(`(a) before: per-call statements, ${CONCURRENCY} in flight`, before, CONCURRENCY),
      await measure('(b) receive, one at a time', (received) => inbox.receive(received), 1),
      await measure(`(c) receive, ${CONCURRENCY} in flight`, (received) => inbox.receive(received), CONCURRENCY),
    ];
    const rows = await dataSource.query(
      `SELECT count(*)::int AS interactions, (SELECT count(*)::int FROM event_log) AS events FROM interaction`,
    );
    console.log(`stored ${rows[0].interactions} interactions and ${rows[0].events} events in all (warm-ups included)\n`);
    const pad = (text: string, width: number) => text.padStart(width);
    console.log(
      `${'run'.padEnd(46)}${pad('stored/s', 10)}${pad('queries/stored', 16)}${pad('node CPU ms/stored', 20)}${pad('PG CPU ms/stored', 18)}`,
    );
    for (const result of results) {
      console.log(
        `${result.name.padEnd(46)}${pad((result.stored / result.seconds).toFixed(0), 10)}${pad((result.queries / result.stored).toFixed(2), 16)}` +
          `${pad((result.nodeMs / result.stored).toFixed(3), 20)}${pad((result.postgresMs / result.stored).toFixed(3), 18)}`,
      );
    }
    const [a, , c] = results;
    const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
    console.log(
      `\n(c)/(a): stored/s ${ratio(c.stored / c.seconds, a.stored / a.seconds)}, queries ${ratio(c.queries, a.queries)}, ` +
        `node CPU ${ratio(c.nodeMs, a.nodeMs)}, PostgreSQL CPU ${ratio(c.postgresMs, a.postgresMs)}`,
    );
  } finally {
    await monitor.end().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
