import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface FanoutDestination {
  inbox: string;
  sharedInbox: boolean;
}

export interface NewFanout {
  dedupeKey: string;
  profileId: string;
  activityId: string;
  activityType: string;
  body: string;
  publication: { id: string; revision: number; action: string } | null;
  /** Followers the activity was meant for (several may share one inbox); null when not a followers' fan-out. */
  audience: number | null;
  destinations: FanoutDestination[];
}

/** One activity's delivery, for "did it land?". */
export interface FanoutReport {
  activityId: string;
  activityType: string;
  action: string | null;
  sentAt: Date;
  settledAt: Date | null;
  audience: { followers: number | null; inboxes: number; servers: number };
  deliveries: { delivered: number; gone: number; givenUp: number; retrying: number; untried: number };
  /** From the fan-out to its last successful delivery. */
  lastDeliveredAfterMs: number | null;
  servers: Array<{
    host: string;
    state: DeliveryState;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    deliveredAt: Date | null;
    nextAttemptAt: Date | null;
  }>;
}

/** A stored fan-out: `created` is false when an earlier send (a retried job) already wrote it. */
export interface FanoutRecord {
  id: string;
  destinations: number;
  created: boolean;
  /** Every destination already has an outcome (only for a fan-out an earlier send wrote). */
  settled: boolean;
}

/** What the delivery processor needs to send a fan-out's activity. */
export interface FanoutToSend {
  id: string;
  profileId: string;
  activityId: string;
  body: string;
}

export interface DueDelivery {
  id: string;
  inbox: string;
  host: string;
  attempts: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'gone' | 'given_up';

/** One delivery's outcome; `tried` is false when the breaker held it back without a request. */
export interface DeliveryOutcome {
  id: string;
  state: DeliveryState;
  tried: boolean;
  nextAttemptAt: Date | null;
  status: number | null;
  error: string | null;
}

export interface HostHealth {
  host: string;
  consecutiveFailures: number;
  openUntil: Date | null;
}

export interface SettledPublication {
  publicationId: string;
  revision: number;
  action: string;
}

/** The ActivityPub fan-out's state in PostgreSQL: fan-outs, their per-inbox deliveries and host health. */
@Injectable()
export class FanoutsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One transaction for the fan-out and all its deliveries; a repeated dedupe key returns the first one. */
  async record(fanout: NewFanout): Promise<FanoutRecord> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO ap_fanout (dedupe_key, profile_id, activity_id, activity_type, body, publication_id, publication_revision, publication_action, destinations, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          fanout.dedupeKey,
          fanout.profileId,
          fanout.activityId,
          fanout.activityType,
          fanout.body,
          fanout.publication?.id ?? null,
          fanout.publication?.revision ?? null,
          fanout.publication?.action ?? null,
          fanout.destinations.length,
          fanout.audience,
        ],
      );
      if (inserted.length === 0) {
        const [existing]: Array<{ id: string; destinations: number; settled: boolean }> = await manager.query(
          `SELECT id, destinations, settled_at IS NOT NULL AS settled FROM ap_fanout WHERE dedupe_key = $1`,
          [fanout.dedupeKey],
        );
        return { id: String(existing.id), destinations: existing.destinations, created: false, settled: existing.settled };
      }
      const id = String(inserted[0].id);
      await manager.query(
        `INSERT INTO ap_delivery (fanout_id, inbox_url, host, shared_inbox)
         SELECT $1, d.inbox, d.host, d.shared FROM unnest($2::text[], $3::text[], $4::boolean[]) AS d(inbox, host, shared)
         ON CONFLICT (fanout_id, inbox_url) DO NOTHING`,
        [
          id,
          fanout.destinations.map((destination) => destination.inbox),
          fanout.destinations.map((destination) => hostOf(destination.inbox)),
          fanout.destinations.map((destination) => destination.sharedInbox),
        ],
      );
      return { id, destinations: fanout.destinations.length, created: true, settled: false };
    });
  }

  async fanout(id: string): Promise<FanoutToSend | null> {
    const [row]: Array<{ id: string; profile_id: string; activity_id: string; body: string }> = await this.dataSource.query(
      `SELECT id, profile_id, activity_id, body FROM ap_fanout WHERE id = $1`,
      [id],
    );
    return row ? { id: String(row.id), profileId: row.profile_id, activityId: row.activity_id, body: row.body } : null;
  }

  /** Due deliveries of a fan-out, leased so that no other worker sends them meanwhile (SKIP LOCKED). */
  async claimDue(fanoutId: string, limit: number, leaseSeconds: number): Promise<DueDelivery[]> {
    const [rows]: [Array<{ id: string; inbox_url: string; host: string; attempts: number }>, number] = await this.dataSource.query(
      `UPDATE ap_delivery SET leased_until = now() + make_interval(secs => $3)
       WHERE id IN (
         SELECT id FROM ap_delivery
         WHERE fanout_id = $1 AND state = 'pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, inbox_url, host, attempts`,
      [fanoutId, limit, leaseSeconds],
    );
    return rows.map((row) => ({ id: String(row.id), inbox: row.inbox_url, host: row.host, attempts: row.attempts }));
  }

  /** Many outcomes in one statement: the fan-out's bookkeeping must not cost a round trip per inbox. */
  async recordOutcomes(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE ap_delivery d SET
         state = o.state,
         attempts = d.attempts + CASE WHEN o.tried THEN 1 ELSE 0 END,
         next_attempt_at = coalesce(o.next_at, d.next_attempt_at),
         leased_until = NULL,
         first_outcome_at = coalesce(d.first_outcome_at, now()),
         last_status = coalesce(o.status, CASE WHEN o.tried THEN NULL ELSE d.last_status END),
         last_error = o.error,
         delivered_at = CASE WHEN o.state = 'delivered' THEN now() ELSE d.delivered_at END,
         updated_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::timestamptz[], $5::integer[], $6::text[])
         AS o(id, state, tried, next_at, status, error)
       WHERE d.id = o.id`,
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.state),
        outcomes.map((outcome) => outcome.tried),
        outcomes.map((outcome) => outcome.nextAttemptAt),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error?.slice(0, 1000) ?? null),
      ],
    );
  }

  /**
   * The servers the profile's latest activity went to, how many refuse deliveries now (breaker open),
   * and when that activity was last delivered. One fan-out: bounded by the followers' servers, cheap per page view.
   */
  async deliveryServers(profileId: string, threshold: number): Promise<{ total: number; failing: number; lastDeliveredAt: Date | null }> {
    const [row]: Array<{ total: number; failing: number; last_delivered_at: Date | null }> = await this.dataSource.query(
      `WITH latest AS (SELECT max(id) AS id FROM ap_fanout WHERE profile_id = $1),
            hosts AS (SELECT d.host, max(d.delivered_at) AS delivered_at FROM ap_delivery d JOIN latest ON d.fanout_id = latest.id GROUP BY d.host)
       SELECT count(*)::int AS total, count(*) FILTER (WHERE h.consecutive_failures >= $2)::int AS failing,
              max(r.delivered_at) AS last_delivered_at
       FROM hosts r LEFT JOIN ap_delivery_host h ON h.host = r.host`,
      [profileId, threshold],
    );
    return { total: row.total, failing: row.failing, lastDeliveredAt: row.last_delivered_at };
  }

  async hostHealth(hosts: string[]): Promise<Map<string, HostHealth>> {
    const rows: Array<{ host: string; consecutive_failures: number; open_until: Date | null }> = await this.dataSource.query(
      `SELECT host, consecutive_failures, open_until FROM ap_delivery_host WHERE host = ANY($1::text[])`,
      [hosts],
    );
    return new Map(
      rows.map((row) => [row.host, { host: row.host, consecutiveFailures: row.consecutive_failures, openUntil: row.open_until }]),
    );
  }

  /**
   * Host health after a batch: a success closes the breaker; failures (timeouts included) add up,
   * and from `threshold` consecutive ones the host is skipped for a period that doubles up to `maxOpenSeconds`.
   */
  async recordHostOutcomes(
    successes: string[],
    failures: Array<{ host: string; count: number; error: string }>,
    breaker: { threshold: number; openSeconds: number; maxOpenSeconds: number },
  ): Promise<void> {
    if (successes.length > 0) {
      await this.dataSource.query(
        `INSERT INTO ap_delivery_host (host, last_success_at) SELECT h, now() FROM unnest($1::text[]) AS h
         ON CONFLICT (host) DO UPDATE SET consecutive_failures = 0, open_until = NULL, last_success_at = now()`,
        [successes],
      );
    }
    if (failures.length > 0) {
      await this.dataSource.query(
        `INSERT INTO ap_delivery_host AS h (host, consecutive_failures, last_error, last_failure_at)
         SELECT f.host, f.n, f.error, now() FROM unnest($1::text[], $2::integer[], $3::text[]) AS f(host, n, error)
         ON CONFLICT (host) DO UPDATE SET
           consecutive_failures = h.consecutive_failures + excluded.consecutive_failures,
           last_error = excluded.last_error,
           last_failure_at = now(),
           open_until = CASE WHEN h.consecutive_failures + excluded.consecutive_failures >= $4
             THEN now() + make_interval(secs => least($6::float8, $5::float8 * power(2, least(20, h.consecutive_failures + excluded.consecutive_failures - $4))))
             ELSE h.open_until END`,
        [
          failures.map((failure) => failure.host),
          failures.map((failure) => failure.count),
          failures.map((failure) => failure.error.slice(0, 1000)),
          breaker.threshold,
          breaker.openSeconds,
          breaker.maxOpenSeconds,
        ],
      );
    }
  }

  /** When the fan-out's next pending delivery is due; null when none is pending. */
  async nextDue(fanoutId: string): Promise<Date | null> {
    const [row]: Array<{ next: Date | null }> = await this.dataSource.query(
      `SELECT min(next_attempt_at) AS next FROM ap_delivery WHERE fanout_id = $1 AND state = 'pending'`,
      [fanoutId],
    );
    return row?.next ?? null;
  }

  /**
   * A fan-out not yet marked settled whose every destination has an outcome: what it belongs to
   * (`publication` null for an activity outside any publication); null while some destination has none.
   */
  async completeUnsettled(fanoutId: string): Promise<{ publication: SettledPublication | null } | null> {
    const [row]: Array<{ publication_id: string | null; publication_revision: number; publication_action: string }> =
      await this.dataSource.query(
        `SELECT publication_id, publication_revision, publication_action FROM ap_fanout
         WHERE id = $1 AND settled_at IS NULL AND NOT EXISTS (SELECT 1 FROM ap_delivery WHERE fanout_id = $1 AND first_outcome_at IS NULL)`,
        [fanoutId],
      );
    if (!row) return null;
    return {
      publication: row.publication_id
        ? { publicationId: row.publication_id, revision: row.publication_revision, action: row.publication_action }
        : null,
    };
  }

  async markSettled(fanoutId: string): Promise<void> {
    await this.dataSource.query(`UPDATE ap_fanout SET settled_at = now() WHERE id = $1 AND settled_at IS NULL`, [fanoutId]);
  }

  /**
   * Fan-outs with work nobody is doing: deliveries overdue by `graceSeconds` and not leased,
   * or a fan-out left unsettled. What a lost Redis or a killed worker leaves behind.
   */
  async stalled(graceSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ fanout_id: string }> = await this.dataSource.query(
      `(SELECT DISTINCT fanout_id FROM ap_delivery
         WHERE state = 'pending' AND next_attempt_at < now() - make_interval(secs => $1) AND (leased_until IS NULL OR leased_until < now())
         LIMIT $2)
       UNION
       (SELECT id AS fanout_id FROM ap_fanout WHERE settled_at IS NULL AND created_at < now() - make_interval(secs => $1) LIMIT $2)`,
      [graceSeconds, limit],
    );
    return rows.map((row) => String(row.fanout_id));
  }

  /** Every fan-out of a publication, oldest first, with its per-server outcomes. Read from PostgreSQL only. */
  async reportForPublication(publicationId: string): Promise<FanoutReport[]> {
    const fanouts: Array<{
      id: string;
      activity_id: string;
      activity_type: string;
      publication_action: string | null;
      created_at: Date;
      settled_at: Date | null;
      audience: number | null;
      destinations: number;
    }> = await this.dataSource.query(
      `SELECT id, activity_id, activity_type, publication_action, created_at, settled_at, audience, destinations
       FROM ap_fanout WHERE publication_id = $1 ORDER BY id`,
      [publicationId],
    );
    const reports: FanoutReport[] = [];
    for (const fanout of fanouts) {
      const rows: Array<{
        host: string;
        state: DeliveryState;
        attempts: number;
        last_status: number | null;
        last_error: string | null;
        delivered_at: Date | null;
        next_attempt_at: Date;
      }> = await this.dataSource.query(
        `SELECT host, state, attempts, last_status, last_error, delivered_at, next_attempt_at FROM ap_delivery WHERE fanout_id = $1 ORDER BY host`,
        [fanout.id],
      );
      const count = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).length;
      const lastDelivered = Math.max(0, ...rows.map((row) => row.delivered_at?.getTime() ?? 0));
      reports.push({
        activityId: fanout.activity_id,
        activityType: fanout.activity_type.replace('https://www.w3.org/ns/activitystreams#', ''),
        action: fanout.publication_action,
        sentAt: fanout.created_at,
        settledAt: fanout.settled_at,
        audience: { followers: fanout.audience, inboxes: fanout.destinations, servers: new Set(rows.map((row) => row.host)).size },
        deliveries: {
          delivered: count((row) => row.state === 'delivered'),
          gone: count((row) => row.state === 'gone'),
          givenUp: count((row) => row.state === 'given_up'),
          retrying: count((row) => row.state === 'pending' && row.attempts > 0),
          untried: count((row) => row.state === 'pending' && row.attempts === 0),
        },
        lastDeliveredAfterMs: lastDelivered > 0 ? lastDelivered - fanout.created_at.getTime() : null,
        servers: rows.map((row) => ({
          host: row.host,
          state: row.state,
          attempts: row.attempts,
          lastStatus: row.last_status,
          lastError: row.last_error,
          deliveredAt: row.delivered_at,
          nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
        })),
      });
    }
    return reports;
  }

  /** An inbox that answered 410 Gone: its followers are no longer an audience. Returns how many ended. */
  async endFollowersAt(profileId: string, inbox: string): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `UPDATE follower SET until = now()
       WHERE profile_id = $1 AND protocol = 'activitypub' AND until IS NULL AND (inbox_url = $2 OR shared_inbox_url = $2)`,
      [profileId, inbox],
    );
    return count;
  }
}

/** host[:port], lower-cased: the unit of per-host limits and health. */
export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}
