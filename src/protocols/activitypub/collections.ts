import type { Federation } from '@fedify/fedify';
import type { Recipient } from '@fedify/vocab';
import type { AudienceService } from '../../audience/audience.service.js';
import type { FollowersRepository } from '../../audience/followers.repository.js';
import type { InboundTargets } from './inbound-targets.js';

const PAGE = 100;

export interface CollectionDependencies {
  targets: InboundTargets;
  followers: FollowersRepository;
  audience: AudienceService;
}

/** followers (paged, from the follower table), following (Herald follows no one) and featured (no pinned posts yet). */
export function registerCollections(federation: Federation<void>, { targets, followers, audience }: CollectionDependencies): void {
  federation
    .setFollowersDispatcher('/@{identifier}/followers', async (_ctx, identifier, cursor) => {
      const profile = await targets.profileByHandle(identifier);
      if (!profile) return null;
      if (cursor === null) return { items: [] };
      const rows = await followers.listActive(profile.id, 'activitypub', PAGE, cursor || undefined);
      const items: Recipient[] = rows.map((row) => ({
        id: new URL(row.remoteActorId),
        inboxId: row.inboxUrl ? new URL(row.inboxUrl) : null,
        endpoints: row.sharedInboxUrl ? { sharedInbox: new URL(row.sharedInboxUrl) } : null,
      }));
      return { items, nextCursor: rows.length === PAGE ? rows[rows.length - 1].id : null };
    })
    .setFirstCursor(() => '')
    .setCounter(async (_ctx, identifier) => {
      const profile = await targets.profileByHandle(identifier);
      return profile ? ((await audience.counts(profile.id)).activitypub ?? 0) : null;
    });
  federation
    .setFollowingDispatcher('/@{identifier}/following', async (_ctx, identifier) =>
      (await targets.profileByHandle(identifier)) ? { items: [] } : null,
    )
    .setCounter(() => 0);
  federation.setFeaturedDispatcher('/@{identifier}/featured', async (_ctx, identifier) =>
    (await targets.profileByHandle(identifier)) ? { items: [] } : null,
  );
}
