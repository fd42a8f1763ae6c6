import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { InteractionNote } from './interaction-note.entity.js';
import type { Protocol } from '../common/protocol.js';
import { Interaction, type InteractionKind, type TriageState } from './interaction.entity.js';

/** Whose interaction, and of which kinds, a withdrawal may touch. */
export interface WithdrawalScope {
  authorId: string;
  kinds?: readonly InteractionKind[];
}

/** A triage change; labels are replaced, added or removed. */
export interface TriageChange {
  state?: TriageState;
  assigneeId?: string | null;
  labels?: string[];
  addLabels?: string[];
  removeLabels?: string[];
}

@Injectable()
export class InteractionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless (protocol, remote_id) is already stored; returns the row only when it is new. */
  async insertOnce(values: Partial<Interaction>, manager: EntityManager = this.dataSource.manager): Promise<Interaction | null> {
    const [inserted] = await this.insertNew([values], manager);
    return inserted ?? null;
  }

  /**
   * Inserts many in one statement, skipping each whose (protocol, remote_id) is already stored;
   * returns the new rows, whole, in no particular order. The same (protocol, remote_id) twice in
   * `rows` is stored once.
   */
  async insertNew(rows: ReadonlyArray<Partial<Interaction>>, manager: EntityManager = this.dataSource.manager): Promise<Interaction[]> {
    if (rows.length === 0) return [];
    const metadata = manager.connection.getMetadata(Interaction);
    const given = metadata.columns.filter((column) => rows.some((row) => row[column.propertyName as keyof Interaction] !== undefined));
    const names = given.map((column) => column.databaseName).join(', ');
    const types = given.map((column) => `${column.databaseName} ${String(column.type)}${column.isArray ? '[]' : ''}`).join(', ');
    // One parameter whatever the batch size: the rows as a JSON array, typed by the entity's columns.
    const records = rows.map((row) =>
      Object.fromEntries(given.map((column) => [column.databaseName, row[column.propertyName as keyof Interaction] ?? null])),
    );
    const inserted: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO interaction (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${types})
       ON CONFLICT (protocol, remote_id) DO NOTHING RETURNING *`,
      [JSON.stringify(records)],
    );
    return inserted.map((raw) =>
      Object.assign(
        manager.create(Interaction),
        Object.fromEntries(metadata.columns.map((column) => [column.propertyName, raw[column.databaseName]])),
      ),
    );
  }

  findById(id: string): Promise<Interaction | null> {
    return this.dataSource.getRepository(Interaction).findOneBy({ id });
  }

  findByRemoteId(protocol: string, remoteId: string): Promise<Interaction | null> {
    return this.dataSource.getRepository(Interaction).findOneBy({ protocol: protocol as Protocol, remoteId });
  }

  /**
   * Marks an interaction the remote side deleted or undid; returns it when something changed.
   * Only an interaction by that author (and of those kinds, if given), so no one withdraws another's.
   */
  async markWithdrawn(protocol: string, remoteId: string, only: WithdrawalScope): Promise<Interaction | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE interaction SET withdrawn_at = now()
       WHERE protocol = $1 AND remote_id = $2 AND withdrawn_at IS NULL
         AND author_id = $3 AND ($4::text[] IS NULL OR kind = ANY($4))
       RETURNING id`,
      [protocol, remoteId, only.authorId, only.kinds ?? null],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /** Replaces the content of an author's own interaction; returns it when one matched. */
  async updateContent(
    protocol: string,
    remoteId: string,
    authorId: string,
    contentHtml: string,
    contentText: string,
  ): Promise<Interaction | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE interaction SET content_html = $4, content_text = $5 WHERE protocol = $1 AND remote_id = $2 AND author_id = $3 RETURNING id`,
      [protocol, remoteId, authorId, contentHtml, contentText],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  findByIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Interaction[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(Interaction).find({ where: { id: In(ids) }, order: { receivedAt: 'DESC', id: 'DESC' } });
  }

  /** Applies one triage change to interactions of one profile; returns the ids that exist there. */
  async applyTriage(
    profileId: string,
    ids: string[],
    change: TriageChange,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const sets: string[] = [];
    const params: unknown[] = [profileId, ids];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (change.state) sets.push(`state = ${param(change.state)}`);
    if (change.assigneeId !== undefined) sets.push(`assignee_id = ${param(change.assigneeId)}::uuid`);
    if (change.labels) sets.push(`labels = ${param(uniqueSorted(change.labels))}::text[]`);
    if (change.addLabels || change.removeLabels) {
      sets.push(`labels = ARRAY(SELECT DISTINCT l FROM unnest(labels || ${param(change.addLabels ?? [])}::text[]) AS l
        WHERE l <> ALL(${param(change.removeLabels ?? [])}::text[]) ORDER BY l)`);
    }
    if (sets.length === 0) return [];
    const [rows] = await manager.query(
      `UPDATE interaction SET ${sets.join(', ')} WHERE profile_id = $1 AND id = ANY($2::uuid[]) RETURNING id`,
      params,
    );
    return rows.map((row: { id: string }) => row.id);
  }

  /** Hides what an account (or a domain and its subdomains, on any port) sent; profileId null means every profile. */
  async hideFrom(
    target: { profileId: string | null; protocol?: string; actorId?: string; domain?: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const [rows] = await manager.query(
      `UPDATE interaction SET state = 'hidden'
       WHERE ($1::uuid IS NULL OR profile_id = $1) AND state NOT IN ('hidden', 'spam')
         AND (($2::text IS NOT NULL AND protocol = $2 AND author_id = $3) OR split_part(author_domain, ':', 1) = $4 OR split_part(author_domain, ':', 1) LIKE '%.' || $4)
       RETURNING id`,
      [target.profileId, target.protocol ?? null, target.actorId ?? null, target.domain ?? null],
    );
    return rows.map((row: { id: string }) => row.id);
  }

  async insertNote(
    values: Pick<InteractionNote, 'interactionId' | 'authorId' | 'text'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<InteractionNote> {
    const repository = manager.getRepository(InteractionNote);
    return repository.save(repository.create(values));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async staffExists(id: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM staff_user WHERE id = $1 AND NOT disabled`, [id]);
    return rows.length > 0;
  }
}

const uniqueSorted = (labels: string[]) => [...new Set(labels)].sort();
