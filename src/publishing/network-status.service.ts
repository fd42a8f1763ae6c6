import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import type { Protocol } from '../common/protocol.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Outbox } from '../outbox/outbox.js';
import type { Profile } from '../profiles/profile.entity.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { NetworkAttemptsRepository } from './network-attempts.repository.js';
import { NetworkBackoff, NetworkNotReady } from './network-backoff.js';
import { describeStatus, type NetworkFacts, type NetworkStatus } from './network-status.rules.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';

/** Each network of a profile: ready, needs action or failing, why, what to do, and Try now. */
@Injectable()
export class NetworkStatusService {
  private readonly logger = new Logger(NetworkStatusService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly profiles: ProfilesRepository,
    private readonly attempts: NetworkAttemptsRepository,
    private readonly adapters: ProtocolAdapterRegistry,
    private readonly backoff: NetworkBackoff,
    private readonly outbox: Outbox,
    private readonly audit: AuditRepository,
  ) {}

  async forProfile(profileId: string): Promise<NetworkStatus[]> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) throw new NotFoundError('Profile', profileId);
    return this.describe(profile);
  }

  /**
   * The networks the public page offers (handles, follow buttons): the ready ones. A fediverse whose
   * only trouble is followers' servers refusing deliveries is still offered: following works from elsewhere.
   */
  async offeredNetworks(profile: Profile): Promise<Protocol[]> {
    // The fediverse's delivery figures cannot take it off the page (see above): not read on every page view.
    const statuses = await this.describe(profile, ['activitypub']);
    return statuses
      .filter(
        (status) => status.state === 'ready' || (status.protocol === 'activitypub' && status.state === 'failing' && status.failures === 0),
      )
      .map((status) => status.protocol);
  }

  /**
   * Ends the wait and makes one attempt now (for Bluesky: create the account if it is missing);
   * when it works, the profile's work held back for that network runs at once.
   */
  async tryNow(profileId: string, protocol: Protocol, actor: StaffPrincipal): Promise<NetworkStatus> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) throw new NotFoundError('Profile', profileId);
    if (!profile.protocols.includes(protocol)) throw new ConflictError(`The profile is not on ${protocol}`, 'protocol');
    const adapter = this.adapters.get(protocol);
    if (!adapter) throw new ConflictError(`No ${protocol} adapter runs in this process`, 'protocol');
    await this.backoff.clearWait(profileId, protocol);
    let worked = true;
    try {
      // `created` only makes sure the account and keys exist: it announces nothing to followers.
      await this.backoff.guard(profileId, protocol, 'profile', () => adapter.syncProfile(profile, 'created'));
    } catch (error) {
      worked = false;
      // Recorded by the guard, and shown in the status; anything else is a fault worth the log.
      if (!(error instanceof NetworkNotReady)) this.logger.warn({ profileId, protocol, message: String(error) }, 'try now failed');
    }
    if (worked) {
      const held = await this.attempts.pendingPublicationIds(profileId, protocol);
      await this.outbox.hurry('publication', 'publicationId', held);
      await this.outbox.hurry('profile-sync', 'profileId', [profileId]);
    }
    await this.audit.insert({
      actorId: actor.id,
      action: 'network.try-now',
      subjectType: 'profile',
      subjectId: profileId,
      details: { protocol, worked },
    });
    const statuses = await this.describe(profile);
    return statuses.find((status) => status.protocol === protocol)!;
  }

  private async describe(profile: Profile, withoutFacts: Protocol[] = []): Promise<NetworkStatus[]> {
    const stored = new Map((await this.attempts.listForProfile(profile.id)).map((attempt) => [attempt.protocol, attempt]));
    const now = new Date();
    return Promise.all(
      profile.protocols.map(async (protocol) => {
        const facts: NetworkFacts = withoutFacts.includes(protocol)
          ? {}
          : ((await this.adapters.get(protocol)?.networkFacts?.(profile)) ?? {});
        return describeStatus({
          protocol,
          attempt: stored.get(protocol) ?? null,
          facts,
          lastPublishedAt: await this.attempts.lastPublishedAt(profile.id, protocol),
          config: this.config,
          now,
        });
      }),
    );
  }
}
