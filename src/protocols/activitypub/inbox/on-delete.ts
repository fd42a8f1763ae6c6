import type { InboxContext } from '@fedify/fedify';
import type { Delete } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';

/** Delete: withdraws a reply or mention; only an actor of the object's own server may delete it. */
export function onDelete(inbox: InboxService) {
  return async (_ctx: InboxContext<void>, activity: Delete): Promise<void> => {
    const objectId = activity.objectId;
    if (!objectId || !activity.actorId || objectId.origin !== activity.actorId.origin) return;
    await inbox.withdraw('activitypub', objectId.href);
  };
}
