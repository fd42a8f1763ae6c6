import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { Block } from './block.entity.js';

export interface RemoteParty {
  profileId: string | null;
  protocol: string;
  /** AP actor id or AT DID. */
  actorId?: string | null;
  /** Host name of the remote server or account. */
  domain?: string | null;
}

@Injectable()
export class BlocksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when the account or its domain (or a parent domain) is blocked, hub-wide or for this profile. */
  async isBlocked(party: RemoteParty): Promise<boolean> {
    const domains = party.domain ? parentDomains(party.domain.toLowerCase()) : [];
    const rows = await this.dataSource.query(
      `SELECT 1 FROM block
       WHERE (profile_id IS NULL OR profile_id = $1)
         AND ((kind = 'domain' AND value = ANY($2::text[])) OR (kind = 'account' AND protocol = $3 AND value = $4))
       LIMIT 1`,
      [party.profileId, domains, party.protocol, party.actorId ?? null],
    );
    return rows.length > 0;
  }

  /** isBlocked for many parties in one query: one answer each, in order. */
  async blockedAmong(parties: readonly RemoteParty[]): Promise<boolean[]> {
    if (parties.length === 0) return [];
    const asked = parties.map((party, index) => ({
      i: index,
      profile_id: party.profileId,
      protocol: party.protocol,
      actor_id: party.actorId ?? null,
      domains: party.domain ? parentDomains(party.domain.toLowerCase()) : [],
    }));
    const rows: Array<{ i: number }> = await this.dataSource.query(
      `SELECT p.i FROM jsonb_to_recordset($1::jsonb) AS p(i int, profile_id uuid, protocol text, actor_id text, domains text[])
       WHERE EXISTS (
         SELECT 1 FROM block
         WHERE (block.profile_id IS NULL OR block.profile_id = p.profile_id)
           AND ((kind = 'domain' AND value = ANY(p.domains)) OR (kind = 'account' AND block.protocol = p.protocol AND value = p.actor_id)))`,
      [JSON.stringify(asked)],
    );
    const blocked = new Set(rows.map((row) => row.i));
    return parties.map((_, index) => blocked.has(index));
  }

  /** Blocked domains for a profile (including hub-wide ones), to filter delivery. */
  async blockedDomains(profileId: string | null): Promise<string[]> {
    const rows: Array<{ value: string }> = await this.dataSource.query(
      `SELECT value FROM block WHERE kind = 'domain' AND (profile_id IS NULL OR profile_id = $1)`,
      [profileId],
    );
    return rows.map((row) => row.value);
  }

  /** Returns null when the same block already exists. */
  async insert(values: Omit<Block, 'id' | 'createdAt'>, manager: EntityManager = this.dataSource.manager): Promise<Block | null> {
    const repository = manager.getRepository(Block);
    try {
      return await repository.save(
        repository.create({ ...values, value: values.kind === 'domain' ? values.value.toLowerCase() : values.value }),
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
  }

  /** A profile's blocks, or the hub-wide ones when profileId is null. */
  list(profileId: string | null): Promise<Block[]> {
    return this.dataSource.getRepository(Block).find({ where: { profileId: profileId ?? IsNull() }, order: { createdAt: 'DESC' } });
  }

  findById(id: string): Promise<Block | null> {
    return this.dataSource.getRepository(Block).findOneBy({ id });
  }

  async delete(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Block).delete({ id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

/** `a.b.example.org` → [a.b.example.org, b.example.org, example.org]: blocking a domain blocks its subdomains. A single-label host (localhost) stands for itself. */
export function parentDomains(domain: string): string[] {
  const labels = domain.split('.');
  // An address has no parents: 0.0.3 is not above 127.0.0.3.
  if (labels.length === 1 || /^\d+(\.\d+){3}$/.test(domain)) return [domain];
  return labels.slice(0, -1).map((_, index) => labels.slice(index).join('.'));
}
