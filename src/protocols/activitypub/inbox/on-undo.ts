import type { InboxContext } from '@fedify/fedify';
import { Announce, Follow, Like, type Undo } from '@fedify/vocab';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';

/** Undo(Follow) ends the follow; Undo(Like/Announce) withdraws the interaction. Only the original actor may undo. */
export function onUndo(targets: InboundTargets, audience: AudienceService, inbox: InboxService) {
  return async (ctx: InboxContext<void>, undo: Undo): Promise<void> => {
    if (!undo.id || !undo.actorId) return;
    const object = await undo.getObject(ctx);
    if (!object?.id || (object instanceof Follow || object instanceof Like || object instanceof Announce) === false) return;
    const original = object as Follow | Like | Announce;
    if (original.actorId?.href !== undo.actorId.href) return;
    if (original instanceof Follow) {
      const profile = await targets.profile(ctx, original.objectId);
      if (!profile) return;
      await audience.unfollowed(profile.id, 'activitypub', undo.actorId.href, {
        profileId: profile.id,
        protocol: 'activitypub',
        remoteId: undo.id.href,
        author: { id: undo.actorId.href, domain: undo.actorId.hostname },
      });
      return;
    }
    await inbox.withdraw('activitypub', original.id!.href);
  };
}
