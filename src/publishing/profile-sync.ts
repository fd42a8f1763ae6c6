import { Injectable, Logger } from '@nestjs/common';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { ProfileSyncReason } from './protocol-adapter.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';

/** Pushes a profile's identity to every protocol it is enabled on. */
@Injectable()
export class ProfileSync {
  private readonly logger = new Logger(ProfileSync.name);

  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly adapters: ProtocolAdapterRegistry,
  ) {}

  async sync(profileId: string, reason: ProfileSyncReason): Promise<void> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) return;
    for (const protocol of profile.protocols) {
      const adapter = this.adapters.get(protocol);
      if (!adapter) {
        this.logger.warn({ profileId, protocol }, 'no adapter for protocol; profile not synced there');
        continue;
      }
      await adapter.syncProfile(profile, reason);
    }
  }
}
