import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Media } from './media.entity.js';

@Injectable()
export class MediaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string): Promise<Media | null> {
    return this.dataSource.getRepository(Media).findOneBy({ id });
  }

  findMany(ids: string[]): Promise<Media[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(Media).findBy({ id: In(ids) });
  }

  async profileExists(profileId: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM profile WHERE id = $1`, [profileId]);
    return rows.length > 0;
  }

  belongsTo(id: string, profileId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(Media).existsBy({ id, profileId });
  }

  async countOwned(ids: string[], profileId: string, manager: EntityManager): Promise<number> {
    if (ids.length === 0) return 0;
    return manager.getRepository(Media).countBy({ id: In(ids), profileId });
  }

  async insert(values: Omit<Media, 'id' | 'createdAt'>): Promise<Media> {
    const saved = await this.dataSource.getRepository(Media).save(this.dataSource.getRepository(Media).create(values));
    return this.dataSource.getRepository(Media).findOneByOrFail({ id: saved.id });
  }
}
