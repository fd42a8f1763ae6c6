import type { Context, Federation } from '@fedify/fedify';
import { Object as APObject } from '@fedify/vocab';
import type { PostsRepository } from '../../posts/posts.repository.js';
import type { PublicationsRepository } from '../../posts/publications.repository.js';
import type { InboundTargets } from './inbound-targets.js';
import { activityPubRefsOf } from './activitypub-refs.js';
import { addressesPublic, type PostObjects } from './post-objects.js';

export interface ObjectDependencies {
  targets: InboundTargets;
  posts: PostsRepository;
  publications: PublicationsRepository;
  postObjects: PostObjects;
}

/**
 * Serves a post's Note/Article at its URL, once it went out on ActivityPub and while it is live.
 * An answer with a private audience (direct, followers-only) is served only to a request signed
 * by one of its addressees.
 */
export function registerObjects(federation: Federation<void>, { targets, publications, postObjects, posts }: ObjectDependencies): void {
  const objectAt = async (ctx: Context<void>, values: { handle: string; id: string }) => {
    const target = await targets.post(ctx, ctx.getObjectUri(APObject, values));
    if (!target) return null;
    const publication = await publications.findByPostAndProtocol(target.postId, 'activitypub');
    if (!publication?.remoteId || publication.state === 'retracted') return null;
    const post = await posts.findById(target.postId);
    if (!post) return null;
    const refs = activityPubRefsOf(publication);
    return postObjects.build(target.profile, post, refs, refs.updatedAt ? new Date(refs.updatedAt) : null);
  };
  federation.setObjectDispatcher(APObject, '/@{handle}/posts/{id}', objectAt).authorize(async (ctx, values) => {
    const object = await objectAt(ctx, values);
    if (!object || addressesPublic(object)) return true;
    const reader = await ctx.getSignedKeyOwner();
    return reader?.id != null && [...object.toIds, ...object.ccIds].some((id) => id.href === reader.id!.href);
  });
}
