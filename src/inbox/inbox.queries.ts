import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { NotFoundError } from '../common/domain-errors.js';
import { Post } from '../posts/post.entity.js';
import { Publication } from '../posts/publication.entity.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { toInboxItem, type InboxItem } from './inbox-item.js';
import type { ListInboxDto } from './inbox.dto.js';
import { InteractionNote } from './interaction-note.entity.js';
import { Interaction } from './interaction.entity.js';

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
}

export interface InboxDetail extends InboxItem {
  /** What it answers, oldest first: our canonical post and the remote interactions above it. */
  thread: {
    post: Pick<Post, 'id' | 'kind' | 'text' | 'title' | 'status' | 'publishedAt'> | null;
    parents: InboxItem[];
    replies: InboxItem[];
  };
  /** Our answers, each with where it went out and how far it got. */
  answers: Array<{
    id: string;
    text: string;
    status: Post['status'];
    createdAt: Date;
    publications: Array<Pick<Publication, 'protocol' | 'state' | 'remoteId' | 'lastError'>>;
  }>;
  notes: Array<Pick<InteractionNote, 'id' | 'authorId' | 'text' | 'createdAt'>>;
}

const HIDDEN_BY_DEFAULT = ['hidden', 'spam'];
/** Must equal the expression of interaction_search_idx (migration 1763920800000), or search falls back to a scan. */
const SEARCH_VECTOR = `to_tsvector('simple'::regconfig, coalesce(i.author_name, '') || ' ' || coalesce(i.author_handle, '') || ' ' || coalesce(i.content_text, ''))`;
const MAX_PARENTS = 20;

/** Read model of the unified inbox: queries shaped for the console, returning DTOs. */
@Injectable()
export class InboxQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(profileId: string, query: ListInboxDto): Promise<InboxPage> {
    await this.assertProfile(profileId);
    const limit = query.limit ?? 25;
    const rows = await this.listQuery(profileId, query, limit + 1).getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(toInboxItem),
      nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].receivedAt, page[page.length - 1].id) : null,
    };
  }

  /** The list query itself, newest first on (received_at, id); bench/inbox-queries.mjs explains it at 1M rows. */
  listQuery(profileId: string, query: ListInboxDto, take: number): SelectQueryBuilder<Interaction> {
    const builder = this.dataSource
      .getRepository(Interaction)
      .createQueryBuilder('i')
      .where('i.profileId = :profileId', { profileId })
      .orderBy('i.receivedAt', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(take);
    if (query.state?.length) builder.andWhere('i.state IN (:...states)', { states: query.state });
    else builder.andWhere('i.state NOT IN (:...hidden)', { hidden: HIDDEN_BY_DEFAULT });
    if (query.protocol) builder.andWhere('i.protocol = :protocol', { protocol: query.protocol });
    if (query.kind?.length) builder.andWhere('i.kind IN (:...kinds)', { kinds: query.kind });
    if (query.postId) builder.andWhere('i.targetPostId = :postId', { postId: query.postId });
    if (query.author) builder.andWhere('(i.authorId = :author OR i.authorHandle = :author)', { author: query.author });
    if (query.label) builder.andWhere('i.labels @> ARRAY[:label]::text[]', { label: query.label });
    if (query.assigneeId) builder.andWhere('i.assigneeId = :assigneeId', { assigneeId: query.assigneeId });
    if (query.q) builder.andWhere(`${SEARCH_VECTOR} @@ websearch_to_tsquery('simple', :q)`, { q: query.q });
    if (query.since) builder.andWhere('i.receivedAt >= :since', { since: query.since });
    if (query.until) builder.andWhere('i.receivedAt < :until', { until: query.until });
    if (query.cursor) builder.andWhere('(i.receivedAt, i.id) < (:at, :id)', decodeKeysetCursor(query.cursor));
    return builder;
  }

  async detail(id: string): Promise<InboxDetail> {
    const interaction = await this.dataSource.getRepository(Interaction).findOneBy({ id });
    if (!interaction) throw new NotFoundError('Interaction', id);
    const [parents, replies, post, answers, notes] = await Promise.all([
      this.parentsOf(interaction),
      this.dataSource.getRepository(Interaction).find({
        where: { protocol: interaction.protocol, parentRemoteId: interaction.remoteId, profileId: interaction.profileId },
        order: { receivedAt: 'ASC', id: 'ASC' },
        take: 100,
      }),
      interaction.targetPostId ? this.dataSource.getRepository(Post).findOneBy({ id: interaction.targetPostId }) : null,
      this.answersTo(id),
      this.dataSource.getRepository(InteractionNote).find({ where: { interactionId: id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return {
      ...toInboxItem(interaction),
      thread: {
        post: post
          ? { id: post.id, kind: post.kind, text: post.text, title: post.title, status: post.status, publishedAt: post.publishedAt }
          : null,
        parents: parents.map(toInboxItem),
        replies: replies.map(toInboxItem),
      },
      answers,
      notes: notes.map(({ id: noteId, authorId, text, createdAt }) => ({ id: noteId, authorId, text, createdAt })),
    };
  }

  /** Remote interactions this one replies to, walking inReplyTo / AT parent upwards, oldest first. */
  private async parentsOf(interaction: Interaction): Promise<Interaction[]> {
    if (!interaction.parentRemoteId) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH RECURSIVE chain(id, parent_remote_id, depth) AS (
         SELECT id, parent_remote_id, 1 FROM interaction WHERE protocol = $1 AND remote_id = $2 AND profile_id = $3
         UNION ALL
         SELECT i.id, i.parent_remote_id, chain.depth + 1 FROM interaction i JOIN chain ON i.remote_id = chain.parent_remote_id
         WHERE i.protocol = $1 AND i.profile_id = $3 AND chain.depth < $4
       ) SELECT id FROM chain ORDER BY depth DESC`,
      [interaction.protocol, interaction.parentRemoteId, interaction.profileId, MAX_PARENTS],
    );
    const found = await this.dataSource.getRepository(Interaction).findBy(rows.map((row) => ({ id: row.id })));
    return rows.map((row) => found.find((parent) => parent.id === row.id)).filter((parent): parent is Interaction => Boolean(parent));
  }

  private async answersTo(interactionId: string): Promise<InboxDetail['answers']> {
    const posts = await this.dataSource
      .getRepository(Post)
      .find({ where: { replyToInteractionId: interactionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (posts.length === 0) return [];
    const publications = await this.dataSource.getRepository(Publication).findBy(posts.map((post) => ({ postId: post.id })));
    return posts.map((post) => ({
      id: post.id,
      text: post.text,
      status: post.status,
      createdAt: post.createdAt,
      publications: publications
        .filter((publication) => publication.postId === post.id)
        .map(({ protocol, state, remoteId, lastError }) => ({ protocol, state, remoteId, lastError })),
    }));
  }

  async assertProfile(profileId: string): Promise<void> {
    const rows = await this.dataSource.query(`SELECT 1 FROM profile WHERE id = $1`, [profileId]);
    if (rows.length === 0) throw new NotFoundError('Profile', profileId);
  }
}
