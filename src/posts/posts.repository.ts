import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { KeysetPosition } from '../common/keyset-cursor.js';
import type { Protocol } from '../common/protocol.js';
import { Post, type PostStatus } from './post.entity.js';

export interface PostPageQuery {
  profileId: string;
  status?: PostStatus;
  limit: number;
  after?: KeysetPosition;
}

@Injectable()
export class PostsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Post | null> {
    return manager.getRepository(Post).findOneBy({ id });
  }

  /** Locks the row for the rest of the transaction, so two status changes cannot race. */
  findForUpdate(id: string, manager: EntityManager): Promise<Post | null> {
    return manager.getRepository(Post).createQueryBuilder('post').setLock('pessimistic_write').where('post.id = :id', { id }).getOne();
  }

  async insert(values: Partial<Post>, manager: EntityManager): Promise<Post> {
    const saved = await manager.getRepository(Post).save(manager.create(Post, values));
    return manager.getRepository(Post).findOneByOrFail({ id: saved.id });
  }

  async update(id: string, changes: Partial<Post>, manager: EntityManager): Promise<Post> {
    await manager.getRepository(Post).update({ id }, changes);
    return manager.getRepository(Post).findOneByOrFail({ id });
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  page(query: PostPageQuery): Promise<Post[]> {
    const builder = this.dataSource
      .getRepository(Post)
      .createQueryBuilder('post')
      .where('post.profileId = :profileId', { profileId: query.profileId })
      .orderBy('post.createdAt', 'DESC')
      .addOrderBy('post.id', 'DESC')
      .take(query.limit);
    if (query.status) builder.andWhere('post.status = :status', { status: query.status });
    if (query.after) builder.andWhere('(post.createdAt, post.id) < (:at, :id)', query.after);
    return builder.getMany();
  }

  /** Scheduled posts whose time has come but which are still scheduled (their delayed job was lost). */
  async listOverdueScheduled(cutoff: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM post WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY scheduled_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Published public posts that went out on this protocol (NodeInfo's localPosts); a direct answer is not counted. */
  async countPublic(protocol: Protocol): Promise<number> {
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM post
       WHERE status = 'published' AND audience IN ('public', 'unlisted')
         AND EXISTS (SELECT 1 FROM publication WHERE post_id = post.id AND protocol = $1 AND state = 'published')`,
      [protocol],
    );
    return Number(row.n);
  }
}
