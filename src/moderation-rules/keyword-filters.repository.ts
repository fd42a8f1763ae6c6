import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { KeywordFilter } from './keyword-filter.entity.js';

@Injectable()
export class KeywordFiltersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listForProfile(profileId: string): Promise<KeywordFilter[]> {
    return this.dataSource.getRepository(KeywordFilter).find({ where: { profileId }, order: { createdAt: 'ASC' } });
  }

  /** Each profile's filters (oldest first), in one query; a profile without any maps to []. */
  async listForProfiles(profileIds: readonly string[]): Promise<Map<string, KeywordFilter[]>> {
    const filters = new Map(profileIds.map((id) => [id, [] as KeywordFilter[]]));
    if (profileIds.length === 0) return filters;
    const found = await this.dataSource
      .getRepository(KeywordFilter)
      .find({ where: { profileId: In([...filters.keys()]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const filter of found) filters.get(filter.profileId)?.push(filter);
    return filters;
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
