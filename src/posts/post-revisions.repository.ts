import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { PostRevision, type RevisionContent, type RevisionState } from './post-revision.entity.js';

@Injectable()
export class PostRevisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<PostRevision | null> {
    return manager.getRepository(PostRevision).findOneBy({ id });
  }

  findPending(postId: string, manager: EntityManager = this.dataSource.manager): Promise<PostRevision | null> {
    return manager.getRepository(PostRevision).findOneBy({ postId, state: 'pending' });
  }

  /** The pending edit of each of these posts (a page of the post list), in one query. */
  listPending(postIds: string[]): Promise<PostRevision[]> {
    if (postIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(PostRevision).findBy({ postId: In(postIds), state: 'pending' });
  }

  /** Every edit proposed for a post, newest first. */
  listByPost(postId: string): Promise<PostRevision[]> {
    return this.dataSource.getRepository(PostRevision).find({ where: { postId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async insert(postId: string, content: RevisionContent, proposedBy: string, manager: EntityManager): Promise<PostRevision> {
    const saved = await manager.getRepository(PostRevision).save(manager.create(PostRevision, { postId, content, proposedBy }));
    return manager.getRepository(PostRevision).findOneByOrFail({ id: saved.id });
  }

  /** Closes the post's pending edit, if any (the caller holds the post's lock); its id, or null. */
  async closePending(postId: string, state: Exclude<RevisionState, 'pending'>, decidedBy: string | null, manager: EntityManager) {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE post_revision SET state = $2, decided_by = $3, decided_at = now() WHERE post_id = $1 AND state = 'pending' RETURNING id`,
      [postId, state, decidedBy],
    );
    return rows[0]?.id ?? null;
  }
}
