import { Injectable } from '@nestjs/common';
import { TableVersions, type VersionStamp } from '../table-versions/table-versions.js';
import { VersionedCache } from '../table-versions/versioned-cache.js';
import { BlocksRepository, type RemoteParty } from './blocks.repository.js';
import type { KeywordFilter } from './keyword-filter.entity.js';
import { KeywordFiltersRepository } from './keyword-filters.repository.js';

/** Bounds of the caches: remote parties seen lately, and profiles (a hub has few). */
const PARTIES = 20_000;
const PROFILES = 1_000;

/**
 * Blocks and keyword filters as inbound activities consult them, many times a second: answered
 * from process caches while the block and keyword_filter tables are unchanged, so a rule committed
 * anywhere (the web process, SQL) applies to every activity a process takes up after the commit.
 * What the caches lack is read for many activities in one query.
 */
@Injectable()
export class InboundRules {
  private readonly refusals = new VersionedCache<string, boolean>('block', PARTIES);
  private readonly filters = new VersionedCache<string, KeywordFilter[]>('keyword_filter', PROFILES);

  constructor(
    private readonly versions: TableVersions,
    private readonly blocks: BlocksRepository,
    private readonly keywordFilters: KeywordFiltersRepository,
  ) {}

  /** Whether the party is blocked, by the blocks committed before this call. */
  async refuses(party: RemoteParty): Promise<boolean> {
    const [refused] = await this.refusedAmong([party], await this.versions.read());
    return refused;
  }

  /** One answer per party, by the blocks as of `stamp` (a TableVersions read) or later. */
  async refusedAmong(parties: readonly RemoteParty[], stamp: VersionStamp): Promise<boolean[]> {
    const keys = parties.map(partyKey);
    const answers = keys.map((key) => this.refusals.get(key, stamp)?.value);
    const missing = [...new Set(keys.filter((_, index) => answers[index] === undefined))];
    if (missing.length > 0) {
      const asked = missing.map((key) => parties[keys.indexOf(key)]);
      const blocked = await this.blocks.blockedAmong(asked);
      missing.forEach((key, index) => this.refusals.set(key, blocked[index], stamp));
      const found = new Map(missing.map((key, index) => [key, blocked[index]]));
      return keys.map((key, index) => answers[index] ?? found.get(key)!);
    }
    return answers as boolean[];
  }

  /** Each profile's keyword filters as of `stamp` or later. */
  async keywordFiltersOf(profileIds: readonly string[], stamp: VersionStamp): Promise<Map<string, KeywordFilter[]>> {
    const filters = new Map<string, KeywordFilter[]>();
    for (const id of new Set(profileIds)) {
      const cached = this.filters.get(id, stamp);
      if (cached) filters.set(id, cached.value);
    }
    const missing = [...new Set(profileIds)].filter((id) => !filters.has(id));
    for (const [id, loaded] of await this.keywordFilters.listForProfiles(missing)) {
      this.filters.set(id, loaded, stamp);
      filters.set(id, loaded);
    }
    return filters;
  }
}

const partyKey = (party: RemoteParty) =>
  JSON.stringify([party.profileId, party.protocol, party.actorId ?? null, party.domain?.toLowerCase() ?? null]);
