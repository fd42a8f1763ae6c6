import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../../../common/advisory-lock.js';
import { AtprotoAccount } from './atproto-account.entity.js';

@Injectable()
export class AtprotoAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByProfile(profileId: string): Promise<AtprotoAccount | null> {
    return this.dataSource.getRepository(AtprotoAccount).findOneBy({ profileId });
  }

  /** The DID of the account of the profile served at `domain`: what its handle must resolve to. */
  async findDidByDomain(domain: string): Promise<string | null> {
    const rows: Array<{ did: string }> = await this.dataSource.query(
      `SELECT a.did FROM atproto_account a JOIN profile p ON p.id = a.profile_id WHERE lower(p.domain) = lower($1)`,
      [domain],
    );
    return rows[0]?.did ?? null;
  }

  /** One account change per profile at a time, across processes: two creations would make two accounts. */
  withProfileLock<T>(profileId: string, work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.dataSource, 'atproto_account', profileId, work);
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
