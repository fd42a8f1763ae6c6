import type { InboxContext } from '@fedify/fedify';
import { Article, Note, type Update } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';

/** Update(Note/Article): the author edited a reply or mention we hold. */
export function onUpdate(inbox: InboxService) {
  return async (ctx: InboxContext<void>, update: Update): Promise<void> => {
    if (!update.actorId) return;
    const object = await update.getObject(ctx);
    if (!(object instanceof Note || object instanceof Article) || !object.id) return;
    if (object.attributionId?.href !== update.actorId.href) return;
    await inbox.edit('activitypub', object.id.href, { html: object.content?.toString() ?? '' });
  };
}
