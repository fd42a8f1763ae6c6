import type { Federation } from '@fedify/fedify';
import type { Create } from '@fedify/vocab';
import type { PostsRepository } from '../../posts/posts.repository.js';
import type { PublicationsRepository } from '../../posts/publications.repository.js';
import type { InboundTargets } from './inbound-targets.js';
import { activityPubRefsOf } from './activitypub-refs.js';
import { addressesPublic, createActivityOf, type PostObjects } from './post-objects.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/keyset-cursor.js';

const PAGE = 20;

export interface OutboxDependencies {
  targets: InboundTargets;
  posts: PostsRepository;
  publications: PublicationsRepository;
  postObjects: PostObjects;
}

/** The outbox: Create activities of the profile's public posts that went out on ActivityPub, newest first. */
export function registerOutbox(federation: Federation<void>, { targets, posts, publications, postObjects }: OutboxDependencies): void {
  federation
    .setOutboxDispatcher('/@{identifier}/outbox', async (_ctx, identifier, cursor) => {
      const profile = await targets.profileByHandle(identifier);
      if (!profile) return null;
      if (cursor === null) return { items: [] };
      const after = cursor === '' ? undefined : afterCursor(cursor);
      const page = await posts.page({ profileId: profile.id, status: 'published', limit: PAGE, after });
      const items: Create[] = [];
      for (const post of page) {
        const publication = await publications.findByPostAndProtocol(post.id, 'activitypub');
        if (publication?.state !== 'published' || !publication.remoteId) continue;
        const object = await postObjects.build(profile, post, activityPubRefsOf(publication));
        // A direct or followers-only answer is for its addressees, never the public outbox.
        if (addressesPublic(object)) items.push(createActivityOf(object));
      }
      const last = page[page.length - 1];
      return { items, nextCursor: page.length === PAGE ? encodeKeysetCursor(last.createdAt, last.id) : null };
    })
    .setFirstCursor(() => '');
}

/** A cursor we did not issue starts from the newest page, as a remote server would expect. */
function afterCursor(cursor: string) {
  try {
    return decodeKeysetCursor(cursor);
  } catch {
    return undefined;
  }
}
