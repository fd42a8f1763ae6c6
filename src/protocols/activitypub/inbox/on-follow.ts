import type { InboxContext } from '@fedify/fedify';
import { Accept, type Follow, isActor } from '@fedify/vocab';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { OutgoingHttp } from '../../../net/outgoing-http.js';
import { hasDeliverableInboxes } from '../actor-inboxes.js';
import type { InboundTargets } from '../inbound-targets.js';
import type { SendFrom } from './listeners.js';
import { authorFromActor, followerFromActor } from '../interaction-from-activity.js';

/**
 * Follow: store the follower, tell the inbox, and Accept (followers are never approved by hand).
 * An actor whose inboxes fail the address check is neither stored nor answered.
 */
export function onFollow(targets: InboundTargets, audience: AudienceService, sendFrom: SendFrom, http: OutgoingHttp) {
  return async (ctx: InboxContext<void>, follow: Follow): Promise<void> => {
    if (!follow.id || !follow.actorId) return;
    const profile = await targets.profile(ctx, follow.objectId);
    if (!profile || (await targets.refuses(profile.id, follow.actorId))) return;
    const actor = await follow.getActor(ctx);
    if (!actor || !isActor(actor) || actor.id?.href !== follow.actorId.href) return;
    if (!(await hasDeliverableInboxes(http, actor, 'follow'))) return;
    const author = await authorFromActor(actor);
    await audience.followed(followerFromActor(profile.id, actor, author, follow.id.href), {
      profileId: profile.id,
      protocol: 'activitypub',
      remoteId: follow.id.href,
      author,
    });
    const accept = new Accept({
      id: new URL(`#accepts/${encodeURIComponent(follow.id.href)}`, ctx.getActorUri(profile.handle)),
      actor: ctx.getActorUri(profile.handle),
      object: follow,
    });
    await sendFrom(profile.id, () => ctx.sendActivity({ identifier: profile.handle }, actor, accept, { fanout: 'skip' }));
  };
}
