import { Injectable, Logger } from '@nestjs/common';
import type { Protocol } from '../common/protocol.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { NetworkBackoff, NetworkNotReady } from './network-backoff.js';
import type { ProfileSyncReason } from './protocol-adapter.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';

/** Some networks were not ready: the sync of those waits until `retryAt`; the others are done. */
export class ProfileSyncDeferred extends Error {
  constructor(
    readonly retryAt: Date,
    readonly protocols: Protocol[],
    message: string,
  ) {
    super(message);
    this.name = 'ProfileSyncDeferred';
  }
}

/** Pushes a profile's identity to every protocol it is enabled on. */
@Injectable()
export class ProfileSync {
  private readonly logger = new Logger(ProfileSync.name);

  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly adapters: ProtocolAdapterRegistry,
    private readonly backoff: NetworkBackoff,
  ) {}

  /** `only`: the networks still to do, when an earlier run did the others. */
  async sync(profileId: string, reason: ProfileSyncReason, only?: Protocol[]): Promise<void> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) return;
    const waiting: NetworkNotReady[] = [];
    for (const protocol of profile.protocols.filter((candidate) => !only || only.includes(candidate))) {
      const adapter = this.adapters.get(protocol);
      if (!adapter) {
        this.logger.warn({ profileId, protocol }, 'no adapter for protocol; profile not synced there');
        continue;
      }
      try {
        await this.backoff.guard(profile.id, protocol, 'profile', () => adapter.syncProfile(profile, reason));
      } catch (error) {
        if (!(error instanceof NetworkNotReady)) throw error;
        waiting.push(error);
      }
    }
    if (waiting.length === 0) return;
    const retryAt = new Date(Math.min(...waiting.map((error) => error.retryAt.getTime())));
    throw new ProfileSyncDeferred(
      retryAt,
      waiting.map((error) => error.protocol),
      waiting.map((error) => error.message).join(' '),
    );
  }
}
