import { Injectable } from '@nestjs/common';
import { InboxService } from '../inbox/inbox.service.js';
import type { InteractionReceived } from '../inbox/interaction-received.js';
import { BlocksRepository } from '../moderation-rules/blocks.repository.js';
import type { Protocol } from '../common/protocol.js';
import { type FollowerInput, FollowersRepository } from './followers.repository.js';

/** Who follows a profile, on every protocol. Adapters report follows here; the inbox hears of them too. */
@Injectable()
export class AudienceService {
  constructor(
    private readonly followers: FollowersRepository,
    private readonly inbox: InboxService,
    private readonly blocks: BlocksRepository,
  ) {}

  /** `event` is the follow as an interaction (remoteId: the Follow activity id or AT follow record URI). */
  async followed(follower: FollowerInput, event: Omit<InteractionReceived, 'kind'>): Promise<void> {
    // A blocked account or domain never becomes an audience, even if an adapter let the Follow through.
    const party = { profileId: follower.profileId, protocol: follower.protocol, actorId: follower.remoteActorId, domain: follower.domain };
    if (await this.blocks.isBlocked(party)) return;
    const isNew = await this.followers.upsertActive(follower);
    if (isNew) await this.inbox.receive({ ...event, kind: 'follow' });
  }

  async unfollowed(profileId: string, protocol: Protocol, remoteActorId: string, event: Omit<InteractionReceived, 'kind'>): Promise<void> {
    if (await this.followers.end(profileId, protocol, remoteActorId)) await this.inbox.receive({ ...event, kind: 'unfollow' });
  }

  moved(profileId: string, protocol: Protocol, fromActorId: string, to: FollowerInput): Promise<void> {
    return this.followers.move(profileId, protocol, fromActorId, to);
  }

  counts(profileId: string): Promise<Record<string, number>> {
    return this.followers.countActiveByProtocol(profileId);
  }
}
