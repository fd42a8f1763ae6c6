import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Post } from '../posts/post.entity.js';

/** Replies, reposts and likes of a post summed over its networks' latest metric snapshots. */
export interface Engagement {
  replies: number;
  reposts: number;
  likes: number;
}

/** Which published posts a tab of the public page shows. */
export type PublicTab = 'featured' | 'posts' | 'media';

export interface PublicPostQuery {
  profileId: string;
  tab: PublicTab;
  /** Only posts carrying this hashtag (without #). */
  tag?: string;
  limit: number;
  /** Keyset: posts published before this one. */
  before?: { publishedAt: Date; id: string };
}

/** Read queries for the public pages and feeds: only what the public may see (published, not deleted). */
@Injectable()
export class PublicPostsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(query: PublicPostQuery): Promise<Post[]> {
    const builder = this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where(`post.profileId = :profileId AND post.status = 'published' AND post.publishedAt IS NOT NULL`, { profileId: query.profileId })
      .orderBy('post.publishedAt', 'DESC')
      .addOrderBy('post.id', 'DESC')
      .take(query.limit);
    // Featured: articles, the profile's long-form statements (Herald has no pinning yet).
    if (query.tab === 'featured') builder.andWhere(`post.kind = 'article'`);
    if (query.tab === 'media') builder.andWhere(`jsonb_array_length(post.attachments) > 0`);
    // The tag is validated as letters, digits and _ by the caller; the regex bounds it to a whole hashtag.
    if (query.tag) builder.andWhere(`post.text ~* :tagPattern`, { tagPattern: `(^|[^[:alnum:]_])#${query.tag}($|[^[:alnum:]_])` });
    if (query.before) builder.andWhere('(post.publishedAt, post.id) < (:publishedAt, :id)', query.before);
    return builder.getMany();
  }

  findPublished(profileId: string, postId: string): Promise<Post | null> {
    return this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where(`post.id = :postId AND post.profileId = :profileId AND post.status = 'published'`, { postId, profileId })
      .getOne();
  }

  async countPublished(profileId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*) AS n FROM post WHERE profile_id = $1 AND status = 'published'`, [profileId]);
    return Number(row.n);
  }

  /** The published posts of a thread that continue this one, oldest first. */
  listContinuations(postId: string): Promise<Post[]> {
    return this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where(`post.threadParentId = :postId AND post.status = 'published'`, { postId })
      .orderBy('post.publishedAt', 'ASC')
      .getMany();
  }

  async engagement(postIds: string[]): Promise<Map<string, Engagement>> {
    if (postIds.length === 0) return new Map();
    const rows: Array<{ post_id: string; replies: string; reposts: string; likes: string }> = await this.dataSource.query(
      `SELECT post_id, sum(replies) AS replies, sum(reposts + quotes) AS reposts, sum(likes) AS likes FROM (
         SELECT DISTINCT ON (post_id, protocol) post_id, replies, reposts, quotes, likes
         FROM metric_snapshot WHERE post_id = ANY($1::uuid[]) ORDER BY post_id, protocol, taken_at DESC
       ) latest GROUP BY post_id`,
      [postIds],
    );
    return new Map(
      rows.map((row) => [row.post_id, { replies: Number(row.replies), reposts: Number(row.reposts), likes: Number(row.likes) }]),
    );
  }
}
