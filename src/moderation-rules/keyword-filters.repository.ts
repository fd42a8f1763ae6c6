import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KeywordFilter } from './keyword-filter.entity.js';

@Injectable()
export class KeywordFiltersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listForProfile(profileId: string): Promise<KeywordFilter[]> {
    return this.dataSource.getRepository(KeywordFilter).find({ where: { profileId }, order: { createdAt: 'ASC' } });
  }

  async insert(values: Omit<KeywordFilter, 'id' | 'createdAt'>): Promise<KeywordFilter> {
    const repository = this.dataSource.getRepository(KeywordFilter);
    return repository.save(repository.create(values));
  }

  async delete(profileId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(KeywordFilter).delete({ id, profileId });
    return (result.affected ?? 0) > 0;
  }
}
