import type { InboxContext } from '@fedify/fedify';
import { Activity, Follow, type Undo } from '@fedify/vocab';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { refuse } from './same-origin.js';

/**
 * What is undone is looked up in what Herald stored, never fetched. An embedded copy is read
 * as sent (even from another origin): it can only ever undo the signer's own records.
 */
const refuseFetch = (url: string) => Promise.reject(new Error(`not fetching ${url} for an Undo`));

/**
 * Undo(Follow) ends the follow; Undo(Like/Announce) withdraws the interaction. The undone
 * activity may be embedded, with or without its actor, or named by its URL; either way only
 * the follow or interaction the Undo's own (signing) actor made is undone, so no one can
 * undo someone else's follow or like (the class of Mastodon's CVE-2024-23832).
 */
export function onUndo(targets: InboundTargets, audience: AudienceService, followers: FollowersRepository, inbox: InboxService) {
  return async (ctx: InboxContext<void>, undo: Undo): Promise<void> => {
    const actorId = undo.actorId!;
    const undoneId = undo.objectId;
    const drop = (reason: string) => refuse(undo, reason);
    if (!undoneId) return drop('it has no object');
    const embedded = await undo.getObject({
      crossOrigin: 'trust',
      documentLoader: refuseFetch,
      contextLoader: ctx.contextLoader,
      suppressError: true,
    });
    const undoneActorId = embedded instanceof Activity ? embedded.actorId : null;
    if (undoneActorId && undoneActorId.href !== actorId.href) return drop(`the undone activity is by ${undoneActorId.href}`);
    const unfollowed = async (profileId: string) =>
      audience.unfollowed(profileId, 'activitypub', actorId.href, {
        profileId,
        protocol: 'activitypub',
        remoteId: undo.id!.href,
        author: { id: actorId.href, domain: actorId.host },
      });

    // A Follow that names its actor (the signer) and our profile ends that actor's follow, whatever id we stored.
    const named = embedded instanceof Follow && undoneActorId ? await targets.profile(ctx, embedded.objectId) : null;
    if (named) return unfollowed(named.id);
    const followed = await followers.activeProfileByFollowId('activitypub', undoneId.href, actorId.href);
    if (followed) return unfollowed(followed);
    if ((await inbox.withdraw('activitypub', undoneId.href, { authorId: actorId.href, kinds: ['like', 'repost'] })) === 'applied') return;
    drop(`no follow, like or boost of this actor has the id ${undoneId.href}`);
  };
}
