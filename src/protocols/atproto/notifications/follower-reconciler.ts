import type { AppBskyActorDefs, AtpAgent } from '@atproto/api';
import { Injectable } from '@nestjs/common';
import { AudienceService } from '../../../audience/audience.service.js';
import { FollowersRepository } from '../../../audience/followers.repository.js';
import type { Follower } from '../../../audience/follower.entity.js';
import { classifyXrpcError } from '../xrpc-errors.js';
import { followerOf, followFromProfileView } from './interaction-from-notification.js';

const PAGE = 100;

/**
 * Bluesky notifies a follow but never an unfollow: now and then Herald reads
 * the profile's whole follower list from the AppView and ends the followers
 * that are gone (an `unfollow` in the inbox), and adds any follow it missed.
 * Only a complete listing is acted on: a failed page changes nothing.
 */
@Injectable()
export class FollowerReconciler {
  constructor(
    private readonly followers: FollowersRepository,
    private readonly audience: AudienceService,
  ) {}

  async reconcile(agent: AtpAgent, profileId: string, did: string): Promise<{ ended: number; added: number }> {
    const remote = await this.listRemote(agent, did);
    const local = await this.listLocal(profileId);
    let ended = 0;
    let added = 0;
    for (const follower of local.values()) {
      if (remote.has(follower.remoteActorId)) continue;
      const followId = follower.followId ?? `${follower.remoteActorId}#follow`;
      await this.audience.unfollowed(profileId, 'atproto', follower.remoteActorId, {
        profileId,
        protocol: 'atproto',
        remoteId: `${followId}#deleted`,
        author: {
          id: follower.remoteActorId,
          handle: follower.handle,
          name: follower.displayName,
          avatarUrl: follower.avatarUrl,
          url: follower.profileUrl,
          domain: follower.domain,
        },
        createdAt: new Date(),
      });
      ended++;
    }
    for (const view of remote.values()) {
      if (local.has(view.did) || !view.viewer?.followedBy) continue;
      const follow = followFromProfileView(view, view.viewer.followedBy, profileId);
      if (!follow) continue;
      const { kind: _follow, ...event } = follow;
      await this.audience.followed(followerOf(follow), event);
      added++;
    }
    return { ended, added };
  }

  private async listRemote(agent: AtpAgent, did: string): Promise<Map<string, AppBskyActorDefs.ProfileView>> {
    const remote = new Map<string, AppBskyActorDefs.ProfileView>();
    let cursor: string | undefined;
    do {
      const page = await agent.app.bsky.graph.getFollowers({ actor: did, limit: PAGE, cursor }).catch(classifyXrpcError);
      for (const view of page.data.followers) remote.set(view.did, view);
      cursor = page.data.followers.length > 0 ? page.data.cursor : undefined;
    } while (cursor);
    return remote;
  }

  private async listLocal(profileId: string): Promise<Map<string, Follower>> {
    const local = new Map<string, Follower>();
    let after: string | undefined;
    for (;;) {
      const page = await this.followers.listActive(profileId, 'atproto', 1000, after);
      for (const follower of page) local.set(follower.remoteActorId, follower);
      if (page.length < 1000) return local;
      after = page.at(-1)!.id;
    }
  }
}
