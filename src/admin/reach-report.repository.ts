import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Protocol } from '../common/protocol.js';

export interface PostReach {
  postId: string;
  label: string;
  publishedAt: Date;
  /** Replies + reposts + quotes + likes from the latest snapshot on each network. */
  reactions: Partial<Record<Protocol, number>>;
}

/** The console's reach report: the newest published posts with their latest metrics per network. */
@Injectable()
export class ReachReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async recentPosts(profileId: string, limit: number): Promise<PostReach[]> {
    const rows: Array<{
      id: string;
      kind: string;
      title: string | null;
      text: string;
      published_at: Date;
      protocol: Protocol | null;
      reactions: string | null;
    }> = await this.dataSource.query(
      `WITH recent AS (
         SELECT id, kind, title, text, published_at FROM post
         WHERE profile_id = $1 AND status = 'published' ORDER BY published_at DESC, id DESC LIMIT $2
       ), latest AS (
         SELECT DISTINCT ON (post_id, protocol) post_id, protocol, replies + reposts + quotes + likes AS reactions
         FROM metric_snapshot WHERE post_id IN (SELECT id FROM recent) ORDER BY post_id, protocol, taken_at DESC
       )
       SELECT recent.*, latest.protocol, latest.reactions FROM recent LEFT JOIN latest ON latest.post_id = recent.id
       ORDER BY recent.published_at DESC, recent.id DESC`,
      [profileId, limit],
    );
    const byPost = new Map<string, PostReach>();
    for (const row of rows) {
      const reach = byPost.get(row.id) ?? {
        postId: row.id,
        label: row.kind === 'article' ? (row.title ?? '') : row.text,
        publishedAt: row.published_at,
        reactions: {},
      };
      if (row.protocol) reach.reactions[row.protocol] = Number(row.reactions);
      byPost.set(row.id, reach);
    }
    return [...byPost.values()];
  }
}
