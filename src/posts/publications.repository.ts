import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Protocol } from '../common/protocol.js';
import { EventLogRepository } from '../event-log/event-log.repository.js';
import { Publication, type PublicationAction, type PublicationRef } from './publication.entity.js';
import { withAdvisoryLock } from '../common/advisory-lock.js';
import { CHANGED_PUBLICATION_COLUMNS, publicationEventFrom, type ChangedPublicationRow } from './publication-events.js';

/** What a job needs to find its work: the row and the revision it was enqueued for. */
export interface PublicationTicket {
  id: string;
  revision: number;
  dueAt: Date;
}

const ticketsOf = (rows: Array<{ id: string; revision: number; due_at: Date }>): PublicationTicket[] =>
  rows.map((row) => ({ id: row.id, revision: row.revision, dueAt: row.due_at }));

@Injectable()
export class PublicationsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventLogRepository,
  ) {}

  async insertForPost(postId: string, protocols: Protocol[], dueAt: Date | null, manager: EntityManager): Promise<PublicationTicket[]> {
    const rows = protocols.map((protocol) => ({ postId, protocol, state: 'pending' as const, action: 'publish' as const, dueAt }));
    if (rows.length === 0) return [];
    const inserted = await manager.getRepository(Publication).save(rows.map((row) => manager.create(Publication, row)));
    return dueAt ? inserted.map((row) => ({ id: row.id, revision: row.revision, dueAt })) : [];
  }

  /** Sets when a post's pending publications are due (publish now, at a scheduled time, or never for a draft). */
  async setDue(postId: string, dueAt: Date | null, manager: EntityManager): Promise<PublicationTicket[]> {
    const [rows] = await manager.query(
      `UPDATE publication SET due_at = $2, revision = revision + 1, updated_at = now()
       WHERE post_id = $1 AND state = 'pending' RETURNING revision, ${CHANGED_PUBLICATION_COLUMNS}`,
      [postId, dueAt],
    );
    await this.announce(rows, manager);
    return dueAt ? ticketsOf(rows) : [];
  }

  /** A published post was edited: its live copies must be updated. */
  async requestUpdate(postId: string, manager: EntityManager): Promise<PublicationTicket[]> {
    await this.lockPost(postId, manager);
    const [rows] = await manager.query(
      `UPDATE publication SET state = 'pending', action = 'update', due_at = now(), revision = revision + 1, attempts = 0, last_error = NULL, updated_at = now()
       WHERE post_id = $1 AND (state IN ('published', 'failed') AND remote_id IS NOT NULL OR state = 'pending' AND action = 'update')
       RETURNING revision, ${CHANGED_PUBLICATION_COLUMNS}`,
      [postId],
    );
    await this.announce(rows, manager);
    return ticketsOf(rows);
  }

  /** A post was deleted: everything not yet retracted must be retracted (a no-op where nothing went out). */
  async requestRetract(postId: string, manager: EntityManager): Promise<PublicationTicket[]> {
    await this.lockPost(postId, manager);
    const [rows] = await manager.query(
      `UPDATE publication SET state = 'pending', action = 'retract', due_at = now(), revision = revision + 1, attempts = 0, last_error = NULL, updated_at = now()
       WHERE post_id = $1 AND state <> 'retracted'
       RETURNING revision, ${CHANGED_PUBLICATION_COLUMNS}`,
      [postId],
    );
    await this.announce(rows, manager);
    return ticketsOf(rows);
  }

  /**
   * Staff asked to try failed publications again: back to pending with a fresh attempt count,
   * keeping the action (publish, update or retract) that failed.
   */
  async requestRetry(postId: string, protocols: Protocol[] | null, manager: EntityManager): Promise<PublicationTicket[]> {
    await this.lockPost(postId, manager);
    const [rows] = await manager.query(
      `UPDATE publication SET state = 'pending', due_at = now(), revision = revision + 1, attempts = 0, last_error = NULL, updated_at = now()
       WHERE post_id = $1 AND state = 'failed' AND ($2::text[] IS NULL OR protocol = ANY($2::text[]))
       RETURNING revision, ${CHANGED_PUBLICATION_COLUMNS}`,
      [postId, protocols],
    );
    await this.announce(rows, manager);
    return ticketsOf(rows);
  }

  listByPost(postId: string): Promise<Publication[]> {
    return this.dataSource.getRepository(Publication).find({ where: { postId }, order: { protocol: 'ASC' } });
  }

  listByPosts(postIds: string[]): Promise<Publication[]> {
    if (postIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(Publication)
      .createQueryBuilder('publication')
      .where('publication.postId IN (:...postIds)', { postIds })
      .orderBy('publication.protocol', 'ASC')
      .getMany();
  }

  findById(id: string): Promise<Publication | null> {
    return this.dataSource.getRepository(Publication).findOneBy({ id });
  }

  findByPostAndProtocol(postId: string, protocol: Protocol): Promise<Publication | null> {
    return this.dataSource.getRepository(Publication).findOneBy({ postId, protocol });
  }

  /** Pending work whose deadline has passed: what a lost or crashed job left behind. */
  async listOverdue(cutoff: Date, limit: number): Promise<PublicationTicket[]> {
    const rows = await this.dataSource.query(
      `SELECT id, revision, due_at FROM publication
       WHERE state = 'pending' AND due_at IS NOT NULL AND due_at <= $1
       ORDER BY due_at LIMIT $2`,
      [cutoff, limit],
    );
    return ticketsOf(rows);
  }

  /**
   * Runs work on one publication while holding a PostgreSQL advisory lock on it,
   * so a publish in flight and a delete or edit of the same post never interleave.
   */
  withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.dataSource, 'publication', id, work);
  }

  async saveRefs(id: string, remoteRefs: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`UPDATE publication SET remote_refs = remote_refs || $2::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(remoteRefs),
    ]);
  }

  /**
   * The adapter handed the action to its network, which settles it later (an ActivityPub fan-out):
   * its identifiers are kept and the publication stays pending until `settle`.
   */
  async recordSent(publication: Pick<Publication, 'id' | 'revision'>, ref: PublicationRef): Promise<void> {
    await this.dataSource.query(
      `UPDATE publication SET remote_id = coalesce($3, remote_id), remote_refs = remote_refs || $4::jsonb, attempts = attempts + 1,
         last_error = NULL, updated_at = now()
       WHERE id = $1 AND revision = $2`,
      [publication.id, publication.revision, ref.remoteId, JSON.stringify(ref.remoteRefs ?? {})],
    );
  }

  /** Every destination of an action the network settled later has an outcome. A newer revision is left alone. */
  settle(id: string, revision: number, action: string): Promise<void> {
    return this.recordDone({ id, revision }, action as PublicationAction, null);
  }

  async recordDone(
    publication: Pick<Publication, 'id' | 'revision'>,
    action: PublicationAction,
    ref: PublicationRef | null,
  ): Promise<void> {
    const state = action === 'retract' ? 'retracted' : 'published';
    await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query(
        `UPDATE publication SET state = $3, remote_id = coalesce($4, remote_id), remote_cid = coalesce($5, remote_cid),
           remote_refs = remote_refs || $6::jsonb, attempts = attempts + CASE WHEN $7 THEN 1 ELSE 0 END, last_error = NULL,
           published_at = CASE WHEN $3 = 'published' THEN coalesce(published_at, now()) ELSE published_at END, updated_at = now()
         WHERE id = $1 AND revision = $2 RETURNING ${CHANGED_PUBLICATION_COLUMNS}`,
        [
          publication.id,
          publication.revision,
          state,
          ref?.remoteId ?? null,
          ref?.remoteCid ?? null,
          JSON.stringify(ref?.remoteRefs ?? {}),
          ref !== null || action === 'retract',
        ],
      );
      await this.announce(rows, manager);
    });
  }

  /** The network is not ready: the publication stays pending, says why and when, and uses up no attempt. */
  async recordWaiting(publication: Pick<Publication, 'id' | 'revision'>, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query(
        `UPDATE publication SET last_error = $3, updated_at = now()
         WHERE id = $1 AND revision = $2 AND state = 'pending' AND last_error IS DISTINCT FROM $3 RETURNING ${CHANGED_PUBLICATION_COLUMNS}`,
        [publication.id, publication.revision, message.slice(0, 2000)],
      );
      await this.announce(rows, manager);
    });
  }

  async recordFailure(publication: Publication, message: string, giveUp: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query(
        `UPDATE publication SET attempts = attempts + 1, last_error = $3, state = CASE WHEN $4 THEN 'failed' ELSE state END, updated_at = now()
         WHERE id = $1 AND revision = $2 RETURNING ${CHANGED_PUBLICATION_COLUMNS}`,
        [publication.id, publication.revision, message.slice(0, 2000), giveUp],
      );
      await this.announce(rows, manager);
    });
  }

  /** Tells consoles about changed publications, in the transaction that changed them (so only if it commits). */
  private async announce(rows: ChangedPublicationRow[], manager: EntityManager): Promise<void> {
    await this.events.append('publication', rows.map(publicationEventFrom), manager);
  }

  /** Inside a post's transaction: wait for any job working on its publications. */
  private async lockPost(postId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtext('publication'), hashtext(id::text)) FROM publication WHERE post_id = $1 ORDER BY id`,
      [postId],
    );
  }
}
