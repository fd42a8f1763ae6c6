import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Protocol } from '../common/protocol.js';
import { Follower } from './follower.entity.js';

export type FollowerInput = Omit<Follower, 'id' | 'since' | 'until'>;

/** Ending follows records an unfollow event per ended row (the reports' follower history) and counts them. */
const ENDED_WITH_EVENTS = `WITH ended AS `;
const EVENTS_OF_ENDED = `, event AS (
  INSERT INTO follower_event (profile_id, protocol, remote_actor_id, kind) SELECT profile_id, protocol, remote_actor_id, 'unfollow' FROM ended
) SELECT count(*) AS count FROM ended`;

@Injectable()
export class FollowersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds or re-activates a follower; returns true when they were not already following. */
  async upsertActive(follower: FollowerInput): Promise<boolean> {
    // One statement: the follower row and, when the follow is new, its event for the reports' history.
    const [row] = await this.dataSource.query(
      `WITH upserted AS (
       INSERT INTO follower (profile_id, protocol, remote_actor_id, handle, display_name, avatar_url, profile_url, inbox_url, shared_inbox_url, domain, follow_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (profile_id, protocol, remote_actor_id) DO UPDATE SET
         handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, avatar_url = EXCLUDED.avatar_url,
         profile_url = EXCLUDED.profile_url, inbox_url = EXCLUDED.inbox_url, shared_inbox_url = EXCLUDED.shared_inbox_url,
         domain = EXCLUDED.domain, follow_id = EXCLUDED.follow_id,
         since = CASE WHEN follower.until IS NULL THEN follower.since ELSE now() END, until = NULL
       RETURNING profile_id, protocol, remote_actor_id, (xmax = 0) AS inserted, (SELECT until FROM follower f WHERE f.id = follower.id) AS previous_until
       ), event AS (
         INSERT INTO follower_event (profile_id, protocol, remote_actor_id, kind)
         SELECT profile_id, protocol, remote_actor_id, 'follow' FROM upserted WHERE inserted OR previous_until IS NOT NULL
       )
       SELECT inserted, previous_until FROM upserted`,
      [
        follower.profileId,
        follower.protocol,
        follower.remoteActorId,
        follower.handle,
        follower.displayName,
        follower.avatarUrl,
        follower.profileUrl,
        follower.inboxUrl,
        follower.sharedInboxUrl,
        follower.domain?.toLowerCase() ?? null,
        follower.followId,
      ],
    );
    return Boolean(row.inserted) || row.previous_until !== null;
  }

  async isActive(profileId: string, protocol: Protocol, remoteActorId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM follower WHERE profile_id = $1 AND protocol = $2 AND remote_actor_id = $3 AND until IS NULL`,
      [profileId, protocol, remoteActorId],
    );
    return rows.length > 0;
  }

  /** The profile an actor follows through the Follow with this id, while that follow is active. */
  async activeProfileByFollowId(protocol: Protocol, followId: string, remoteActorId: string): Promise<string | null> {
    const rows: Array<{ profile_id: string }> = await this.dataSource.query(
      `SELECT profile_id FROM follower WHERE protocol = $1 AND follow_id = $2 AND remote_actor_id = $3 AND until IS NULL`,
      [protocol, followId, remoteActorId],
    );
    return rows[0]?.profile_id ?? null;
  }

  /** Ends a follow; returns true when one was active. */
  async end(
    profileId: string,
    protocol: Protocol,
    remoteActorId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const ended = await manager.query(
      `${ENDED_WITH_EVENTS}(UPDATE follower SET until = now() WHERE profile_id = $1 AND protocol = $2 AND remote_actor_id = $3 AND until IS NULL
       RETURNING profile_id, protocol, remote_actor_id)${EVENTS_OF_ENDED}`,
      [profileId, protocol, remoteActorId],
    );
    return Number(ended[0].count) > 0;
  }

  /** Ends the follows delivered through an inbox that answered 410 Gone; returns how many ended. */
  async endAtInbox(profileId: string, protocol: Protocol, inbox: string): Promise<number> {
    const [, count] = await this.dataSource.query(
      `UPDATE follower SET until = now()
       WHERE profile_id = $1 AND protocol = $2 AND until IS NULL AND (inbox_url = $3 OR shared_inbox_url = $3)`,
      [profileId, protocol, inbox],
    );
    return count;
  }

  /** Ends every follow from a domain and its subdomains (a domain block covers both); returns how many ended. */
  async endForDomain(domain: string, profileId: string | null, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const ended = await manager.query(
      `${ENDED_WITH_EVENTS}(UPDATE follower SET until = now() WHERE (domain = $1 OR domain LIKE '%.' || $1) AND until IS NULL AND ($2::uuid IS NULL OR profile_id = $2)
       RETURNING profile_id, protocol, remote_actor_id)${EVENTS_OF_ENDED}`,
      [domain.toLowerCase(), profileId],
    );
    return Number(ended[0].count);
  }

  /** A follower moved to a new account (AP Move). */
  async move(profileId: string, protocol: Protocol, fromActorId: string, to: FollowerInput): Promise<void> {
    await this.end(profileId, protocol, fromActorId);
    await this.upsertActive(to);
  }

  async countActiveByProtocol(profileId: string): Promise<Record<string, number>> {
    const rows: Array<{ protocol: string; n: string }> = await this.dataSource.query(
      `SELECT protocol, count(*) AS n FROM follower WHERE profile_id = $1 AND until IS NULL GROUP BY protocol`,
      [profileId],
    );
    return Object.fromEntries(rows.map((row) => [row.protocol, Number(row.n)]));
  }

  /** Active followers in pages ordered by id, for collections and fan-out. */
  listActive(profileId: string, protocol: Protocol, limit: number, afterId?: string): Promise<Follower[]> {
    const query = this.dataSource
      .getRepository(Follower)
      .createQueryBuilder('follower')
      .where('follower.profileId = :profileId AND follower.protocol = :protocol AND follower.until IS NULL', { profileId, protocol })
      .orderBy('follower.id', 'ASC')
      .take(limit);
    if (afterId) query.andWhere('follower.id > :afterId', { afterId });
    return query.getMany();
  }
}
