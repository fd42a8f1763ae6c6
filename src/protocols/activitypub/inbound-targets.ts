import type { Context } from '@fedify/fedify';
import type { Actor } from '@fedify/vocab';
import { Injectable } from '@nestjs/common';
import { BlocksRepository } from '../../moderation-rules/blocks.repository.js';
import { PostsRepository } from '../../posts/posts.repository.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { ProfilesRepository } from '../../profiles/profiles.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resolves our own actors and posts named in an inbound activity, and says whom we refuse. */
@Injectable()
export class InboundTargets {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly posts: PostsRepository,
    private readonly blocks: BlocksRepository,
  ) {}

  /** The federated profile whose actor id this is, if any. */
  async profile(ctx: Context<void>, uri: URL | null): Promise<Profile | null> {
    const parsed = uri ? ctx.parseUri(uri) : null;
    if (parsed?.type !== 'actor') return null;
    return this.profileByHandle(parsed.identifier);
  }

  async profileByHandle(handle: string): Promise<Profile | null> {
    const profile = await this.profiles.findByHandle(handle);
    return profile?.protocols.includes('activitypub') ? profile : null;
  }

  /** Our published post at this URL, with its profile. */
  async post(ctx: Context<void>, uri: URL | null): Promise<{ profile: Profile; postId: string } | null> {
    const parsed = uri ? ctx.parseUri(uri) : null;
    if (parsed?.type !== 'object') return null;
    const profile = await this.profileByHandle(parsed.values.handle);
    const post = profile && UUID.test(parsed.values.id) ? await this.posts.findById(parsed.values.id) : null;
    if (!profile || !post || post.profileId !== profile.id || post.status !== 'published') return null;
    return { profile, postId: post.id };
  }

  /** How many public posts went out on ActivityPub. */
  countPosts(): Promise<number> {
    return this.posts.countPublic('activitypub');
  }

  listProfiles(): Promise<Profile[]> {
    return this.profiles.list().then((profiles) => profiles.filter((profile) => profile.protocols.includes('activitypub')));
  }

  /** A blocked account or domain (hub-wide, or for this profile) gets nothing stored. */
  refuses(profileId: string | null, actor: Actor | URL): Promise<boolean> {
    const id = actor instanceof URL ? actor : actor.id;
    if (!id) return Promise.resolve(true);
    return this.blocks.isBlocked({ profileId, protocol: 'activitypub', actorId: id.href, domain: id.hostname });
  }
}
