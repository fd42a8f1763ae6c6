import type { Federation } from '@fedify/fedify';
import { Object as APObject } from '@fedify/vocab';
import type { PostsRepository } from '../../posts/posts.repository.js';
import type { PublicationsRepository } from '../../posts/publications.repository.js';
import type { InboundTargets } from './inbound-targets.js';
import { activityPubRefsOf } from './activitypub-refs.js';
import type { PostObjects } from './post-objects.js';

export interface ObjectDependencies {
  targets: InboundTargets;
  posts: PostsRepository;
  publications: PublicationsRepository;
  postObjects: PostObjects;
}

/** Serves a post's Note/Article at its public URL, once it went out on ActivityPub and while it is live. */
export function registerObjects(federation: Federation<void>, { targets, publications, postObjects, posts }: ObjectDependencies): void {
  federation.setObjectDispatcher(APObject, '/@{handle}/posts/{id}', async (ctx, values) => {
    const target = await targets.post(ctx, ctx.getObjectUri(APObject, values));
    if (!target) return null;
    const publication = await publications.findByPostAndProtocol(target.postId, 'activitypub');
    if (!publication?.remoteId || publication.state === 'retracted') return null;
    const post = await posts.findById(target.postId);
    if (!post) return null;
    const refs = activityPubRefsOf(publication);
    return postObjects.build(target.profile, post, refs, refs.updatedAt ? new Date(refs.updatedAt) : null);
  });
}
