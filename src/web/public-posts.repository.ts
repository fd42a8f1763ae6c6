import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Post } from '../posts/post.entity.js';

/** Replies, reposts and likes of a post summed over its networks' latest figures. */
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

/** Posts the public may read: an answer to a direct message or a followers-only post keeps that audience. */
const PUBLIC_AUDIENCE_SQL = `audience IN ('public', 'unlisted')`;

/** Read queries for the public pages and feeds: only what the public may see (published, not deleted, public audience). */
@Injectable()
export class PublicPostsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(query: PublicPostQuery): Promise<Post[]> {
    const builder = this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where(`post.profileId = :profileId AND post.status = 'published' AND post.publishedAt IS NOT NULL AND post.${PUBLIC_AUDIENCE_SQL}`, {
        profileId: query.profileId,
      })
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
      .where(`post.id = :postId AND post.profileId = :profileId AND post.status = 'published' AND post.${PUBLIC_AUDIENCE_SQL}`, {
        postId,
        profileId,
      })
      .getOne();
  }

  async countPublished(profileId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) AS n FROM post WHERE profile_id = $1 AND status = 'published' AND ${PUBLIC_AUDIENCE_SQL}`,
      [profileId],
    );
    return Number(row.n);
  }

  /** The published posts of a thread that continue this one, oldest first. */
  listContinuations(postId: string): Promise<Post[]> {
    return this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where(`post.threadParentId = :postId AND post.status = 'published' AND post.${PUBLIC_AUDIENCE_SQL}`, { postId })
      .orderBy('post.publishedAt', 'ASC')
      .getMany();
  }
}
