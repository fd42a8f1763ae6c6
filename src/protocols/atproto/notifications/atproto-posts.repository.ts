import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PostCounts {
  postId: string;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

/** The profile's published Bluesky records, looked up by AT URI, and their counts. */
@Injectable()
export class AtprotoPostsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The canonical post whose publication wrote this record (any part of a thread). */
  async postIdForUri(uri: string): Promise<string | null> {
    const [row] = await this.dataSource.query(
      `SELECT post_id FROM publication
       WHERE protocol = 'atproto' AND (remote_id = $1 OR remote_refs->'parts' @> jsonb_build_array(jsonb_build_object('uri', $1::text)))
       LIMIT 1`,
      [uri],
    );
    return row?.post_id ?? null;
  }

  /** The newest published posts of a profile with their first record's URI. */
  async recentPublished(profileId: string, limit: number): Promise<Array<{ postId: string; uri: string }>> {
    const rows: Array<{ post_id: string; remote_id: string }> = await this.dataSource.query(
      `SELECT publication.post_id, publication.remote_id FROM publication JOIN post ON post.id = publication.post_id
       WHERE post.profile_id = $1 AND publication.protocol = 'atproto' AND publication.state = 'published' AND publication.remote_id IS NOT NULL
       ORDER BY publication.published_at DESC NULLS LAST LIMIT $2`,
      [profileId, limit],
    );
    return rows.map((row) => ({ postId: row.post_id, uri: row.remote_id }));
  }

  /**
   * Stores a post's counts only when they differ from its latest snapshot: polled every minute,
   * unchanged counts would add ~144,000 rows a day per profile. Readers take the latest row per post.
   */
  async insertSnapshots(counts: PostCounts[], takenAt: Date): Promise<void> {
    for (const count of counts) {
      await this.dataSource.query(
        `INSERT INTO metric_snapshot (post_id, protocol, taken_at, likes, reposts, replies, quotes)
         SELECT $1, 'atproto', $2, $3, $4, $5, $6
         WHERE NOT EXISTS (
           SELECT 1 FROM (
             SELECT likes, reposts, replies, quotes FROM metric_snapshot
             WHERE post_id = $1 AND protocol = 'atproto' ORDER BY taken_at DESC LIMIT 1
           ) latest
           WHERE (latest.likes, latest.reposts, latest.replies, latest.quotes) = ($3, $4, $5, $6)
         )`,
        [count.postId, takenAt, count.likes, count.reposts, count.replies, count.quotes],
      );
    }
  }
}
