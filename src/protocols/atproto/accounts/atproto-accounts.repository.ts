import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AtprotoAccount } from './atproto-account.entity.js';

@Injectable()
export class AtprotoAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByProfile(profileId: string): Promise<AtprotoAccount | null> {
    return this.dataSource.getRepository(AtprotoAccount).findOneBy({ profileId });
  }

  list(): Promise<AtprotoAccount[]> {
    return this.dataSource.getRepository(AtprotoAccount).find();
  }

  async insert(account: Pick<AtprotoAccount, 'profileId' | 'did' | 'handle' | 'password'>): Promise<void> {
    await this.dataSource.getRepository(AtprotoAccount).insert(account);
  }

  async updateHandle(profileId: string, handle: string): Promise<void> {
    await this.dataSource.getRepository(AtprotoAccount).update({ profileId }, { handle });
  }

  async saveCursor(profileId: string, cursor: string | null): Promise<void> {
    await this.dataSource.getRepository(AtprotoAccount).update({ profileId }, { notificationCursor: cursor, polledAt: new Date() });
  }
}
