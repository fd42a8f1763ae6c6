import type { Context, ParseUriResult } from '@fedify/fedify';
import type { Actor } from '@fedify/vocab';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { InboundRules } from '../../moderation-rules/inbound-rules.js';
import type { Post } from '../../posts/post.entity.js';
import { PostsRepository } from '../../posts/posts.repository.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { ProfilesRepository } from '../../profiles/profiles.repository.js';
import { TableVersions, type VersionStamp } from '../../table-versions/table-versions.js';
import { VersionedCache } from '../../table-versions/versioned-cache.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bounds of the caches: a hub has few profiles; activities mostly name its recent posts. */
const PROFILES = 1_000;
const POSTS = 10_000;
/** Our own URLs as Fedify's router reads them: fixed for the life of the process, and matched on every activity. */
const URIS = 10_000;

/**
 * Resolves our own actors and posts named in an inbound activity, and says whom we refuse.
 * Every answer is as of the call: cached while the profile, post and block tables are unchanged,
 * so a post deleted or a block added before an activity is taken up counts for it.
 */
@Injectable()
export class InboundTargets {
  private readonly profilesByHandle = new VersionedCache<string, Profile | null>('profile', PROFILES);
  private readonly postsById = new VersionedCache<string, Pick<Post, 'id' | 'profileId' | 'status'> | null>('post', POSTS);
  private readonly routes = new LRUCache<string, { parsed: ParseUriResult | null }>({ max: URIS });

  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly posts: PostsRepository,
    private readonly rules: InboundRules,
    private readonly versions: TableVersions,
  ) {}

  /** The federated profile whose actor id this is, if any. */
  async profile(ctx: Context<void>, uri: URL | null): Promise<Profile | null> {
    const parsed = this.parseUri(ctx, uri);
    if (parsed?.type !== 'actor') return null;
    return this.profileByHandle(parsed.identifier);
  }

  async profileByHandle(handle: string, stamp?: VersionStamp): Promise<Profile | null> {
    stamp ??= await this.versions.read();
    const profile = await this.profilesByHandle.fetch(handle.toLowerCase(), stamp, () => this.profiles.findByHandle(handle));
    return profile?.protocols.includes('activitypub') ? profile : null;
  }

  /** Our published post at this URL, with its profile. */
  async post(ctx: Context<void>, uri: URL | null): Promise<{ profile: Profile; postId: string } | null> {
    const parsed = this.parseUri(ctx, uri);
    if (parsed?.type !== 'object') return null;
    const stamp = await this.versions.read();
    const profile = await this.profileByHandle(parsed.values.handle, stamp);
    const post = profile && UUID.test(parsed.values.id) ? await this.postById(parsed.values.id.toLowerCase(), stamp) : null;
    if (!profile || !post || post.profileId !== profile.id || post.status !== 'published') return null;
    return { profile, postId: post.id };
  }

  /** Which of our routes a URL names, if any: Fedify's router, remembered per URL (its URL patterns cost ~3% of the inbox worker). */
  private parseUri(ctx: Context<void>, uri: URL | null): ParseUriResult | null {
    if (!uri) return null;
    const key = `${ctx.origin} ${ctx.canonicalOrigin} ${uri.href}`;
    let route = this.routes.get(key);
    if (!route) this.routes.set(key, (route = { parsed: ctx.parseUri(uri) }));
    return route.parsed;
  }

  private postById(id: string, stamp: VersionStamp): Promise<Pick<Post, 'id' | 'profileId' | 'status'> | null> {
    return this.postsById.fetch(id, stamp, async () => {
      const post = await this.posts.findById(id);
      return post && { id: post.id, profileId: post.profileId, status: post.status };
    });
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
    return this.rules.refuses({ profileId, protocol: 'activitypub', actorId: id.href, domain: id.hostname });
  }
}
