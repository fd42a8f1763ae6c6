import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Protocol } from '../common/protocol.js';
import { shouldLog } from './network-backoff.rules.js';

/** A profile's record on one network: see the network_attempt migration. */
export interface NetworkAttempt {
  profileId: string;
  protocol: Protocol;
  failures: number;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  loggedUntil: Date | null;
}

interface Row {
  profile_id: string;
  protocol: Protocol;
  failures: number;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  logged_until: Date | null;
}

const COLUMNS =
  'profile_id, protocol, failures, attempts, next_attempt_at, last_error, last_error_at, last_attempt_at, last_success_at, logged_until';

const attemptOf = (row: Row): NetworkAttempt => ({
  profileId: row.profile_id,
  protocol: row.protocol,
  failures: row.failures,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  lastErrorAt: row.last_error_at,
  lastAttemptAt: row.last_attempt_at,
  lastSuccessAt: row.last_success_at,
  loggedUntil: row.logged_until,
});

@Injectable()
export class NetworkAttemptsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(profileId: string, protocol: Protocol): Promise<NetworkAttempt | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM network_attempt WHERE profile_id = $1 AND protocol = $2`, [
      profileId,
      protocol,
    ]);
    return rows[0] ? attemptOf(rows[0]) : null;
  }

  async listForProfile(profileId: string): Promise<NetworkAttempt[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM network_attempt WHERE profile_id = $1`, [profileId]);
    return rows.map(attemptOf);
  }

  /**
   * One more failure in a row. The next attempt time is computed from the failure count the row
   * holds after this write (`delayFor`), in one statement, so two processes failing together
   * still make the wait grow once each. Returns the row as written.
   */
  async recordFailure(
    profileId: string,
    protocol: Protocol,
    error: string,
    delayFor: (failures: number) => number,
    logPeriodMs: number,
  ): Promise<{ attempt: NetworkAttempt; log: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO network_attempt (profile_id, protocol) VALUES ($1, $2) ON CONFLICT (profile_id, protocol) DO NOTHING`,
        [profileId, protocol],
      );
      const [current]: Row[] = await manager.query(
        `SELECT ${COLUMNS} FROM network_attempt WHERE profile_id = $1 AND protocol = $2 FOR UPDATE`,
        [profileId, protocol],
      );
      const failures = current.failures + 1;
      const now = Date.now();
      const delay = delayFor(failures);
      // Named in the log when the network starts to wait, then once per period.
      const log = delay > 0 && shouldLog(current.logged_until, new Date(now));
      const [rows]: [Row[], number] = await manager.query(
        `UPDATE network_attempt SET failures = $3, attempts = attempts + 1, next_attempt_at = $4, last_error = $5,
           last_error_at = now(), last_attempt_at = now(), logged_until = CASE WHEN $6 THEN $7 ELSE logged_until END
         WHERE profile_id = $1 AND protocol = $2 RETURNING ${COLUMNS}`,
        [profileId, protocol, failures, delay > 0 ? new Date(now + delay) : null, error.slice(0, 2000), log, new Date(now + logPeriodMs)],
      );
      return { attempt: attemptOf(rows[0]), log };
    });
  }

  /** It worked: the backoff and the log period end, the last error stays for the record. */
  async recordSuccess(profileId: string, protocol: Protocol): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO network_attempt (profile_id, protocol, attempts, last_attempt_at, last_success_at) VALUES ($1, $2, 1, now(), now())
       ON CONFLICT (profile_id, protocol) DO UPDATE SET failures = 0, attempts = network_attempt.attempts + 1, next_attempt_at = NULL,
         last_attempt_at = now(), last_success_at = now(), logged_until = NULL`,
      [profileId, protocol],
    );
  }

  /** When a post of the profile last went out on the network. */
  async lastPublishedAt(profileId: string, protocol: Protocol): Promise<Date | null> {
    const [row]: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT max(pub.published_at) AS at FROM publication pub JOIN post p ON p.id = pub.post_id WHERE p.profile_id = $1 AND pub.protocol = $2`,
      [profileId, protocol],
    );
    return row?.at ?? null;
  }

  /** The profile's publications on the network still to go out: Try now brings their jobs forward. */
  async pendingPublicationIds(profileId: string, protocol: Protocol): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT pub.id FROM publication pub JOIN post p ON p.id = pub.post_id WHERE p.profile_id = $1 AND pub.protocol = $2 AND pub.state = 'pending'`,
      [profileId, protocol],
    );
    return rows.map((row) => row.id);
  }

  /** Try now: the wait ends at once; the failure count stays so the next failure still waits long. */
  async clearWait(profileId: string, protocol: Protocol): Promise<void> {
    await this.dataSource.query(`UPDATE network_attempt SET next_attempt_at = NULL WHERE profile_id = $1 AND protocol = $2`, [
      profileId,
      protocol,
    ]);
  }
}
