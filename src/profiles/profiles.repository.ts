import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Profile } from './profile.entity.js';

@Injectable()
export class ProfilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Profile | null> {
    return manager.getRepository(Profile).findOneBy({ id });
  }

  findByHandle(handle: string): Promise<Profile | null> {
    return this.dataSource
      .getRepository(Profile)
      .createQueryBuilder('profile')
      .where('lower(profile.handle) = lower(:handle)', { handle })
      .getOne();
  }

  findByDomain(domain: string): Promise<Profile | null> {
    return this.dataSource
      .getRepository(Profile)
      .createQueryBuilder('profile')
      .where('lower(profile.domain) = lower(:domain)', { domain })
      .getOne();
  }

  list(): Promise<Profile[]> {
    return this.dataSource.getRepository(Profile).find({ order: { createdAt: 'ASC' } });
  }

  async conflicts(
    handle: string | undefined,
    domain: string | undefined,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<'handle' | 'domain' | null> {
    const query = manager.getRepository(Profile).createQueryBuilder('profile');
    if (handle !== undefined) {
      const taken = await query
        .clone()
        .where('lower(profile.handle) = lower(:handle)', { handle })
        .andWhere(exceptId ? 'profile.id <> :exceptId' : 'TRUE', { exceptId })
        .getExists();
      if (taken) return 'handle';
    }
    if (domain !== undefined) {
      const taken = await query
        .clone()
        .where('lower(profile.domain) = lower(:domain)', { domain })
        .andWhere(exceptId ? 'profile.id <> :exceptId' : 'TRUE', { exceptId })
        .getExists();
      if (taken) return 'domain';
    }
    return null;
  }

  async insert(values: Partial<Profile>, manager: EntityManager): Promise<Profile> {
    const saved = await manager.getRepository(Profile).save(manager.create(Profile, values));
    return manager.getRepository(Profile).findOneByOrFail({ id: saved.id });
  }

  async update(id: string, changes: Partial<Profile>, manager: EntityManager): Promise<Profile> {
    if (Object.keys(changes).length > 0) await manager.getRepository(Profile).update({ id }, changes);
    return manager.getRepository(Profile).findOneByOrFail({ id });
  }
}
