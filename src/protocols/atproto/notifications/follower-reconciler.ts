import type { AtpAgent } from '@atproto/api';
import { Injectable } from '@nestjs/common';
import { AudienceService } from '../../../audience/audience.service.js';
import { FollowersRepository, type FollowerInput } from '../../../audience/followers.repository.js';
import type { Follower } from '../../../audience/follower.entity.js';
import { classifyXrpcError } from '../xrpc-errors.js';
import { handleDomain } from './persist-notification.js';

const PAGE = 100;

interface FollowerView {
  did: string;
  handle: string;
  displayName?: string;
  avatar?: string;
  viewer?: { followedBy?: string };
}

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
        author: { id: follower.remoteActorId, handle: follower.handle, name: follower.displayName, avatarUrl: follower.avatarUrl, url: follower.profileUrl, domain: follower.domain },
        createdAt: new Date(),
      });
      ended++;
    }
    for (const view of remote.values()) {
      if (local.has(view.did) || !view.viewer?.followedBy) continue;
      const follower = toFollower(profileId, view, view.viewer.followedBy);
      await this.audience.followed(follower, {
        profileId,
        protocol: 'atproto',
        remoteId: view.viewer.followedBy,
        author: { id: view.did, handle: view.handle, name: view.displayName ?? null, avatarUrl: view.avatar ?? null, url: follower.profileUrl, domain: follower.domain },
        createdAt: new Date(),
      });
      added++;
    }
    return { ended, added };
  }

  private async listRemote(agent: AtpAgent, did: string): Promise<Map<string, FollowerView>> {
    const remote = new Map<string, FollowerView>();
    let cursor: string | undefined;
    do {
      const page = await agent.app.bsky.graph.getFollowers({ actor: did, limit: PAGE, cursor }).catch(classifyXrpcError);
      for (const view of page.data.followers as FollowerView[]) remote.set(view.did, view);
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

function toFollower(profileId: string, view: FollowerView, followUri: string): FollowerInput {
  const handle = view.handle.toLowerCase();
  const domain = handleDomain(handle);
  return {
    profileId,
    protocol: 'atproto',
    remoteActorId: view.did,
    handle,
    displayName: view.displayName ?? null,
    avatarUrl: view.avatar ?? null,
    profileUrl: `https://bsky.app/profile/${view.did}`,
    inboxUrl: null,
    sharedInboxUrl: null,
    domain,
    followId: followUri,
  };
}
