import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { StaffSession } from './session.entity.js';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(staffUserId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.getRepository(StaffSession).insert({ staffUserId, tokenHash, expiresAt });
  }

  findLive(tokenHash: string): Promise<StaffSession | null> {
    return this.dataSource
      .getRepository(StaffSession)
      .createQueryBuilder('session')
      .where('session.tokenHash = :tokenHash AND session.expiresAt > now()', { tokenHash })
      .getOne();
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.dataSource.getRepository(StaffSession).delete({ tokenHash });
  }

  async deleteForUser(staffUserId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(StaffSession).delete({ staffUserId });
  }

  async deleteExpiredForUser(staffUserId: string): Promise<void> {
    await this.dataSource.getRepository(StaffSession).delete({ staffUserId, expiresAt: LessThan(new Date()) });
  }
}
