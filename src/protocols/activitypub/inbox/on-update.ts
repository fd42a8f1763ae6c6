import type { InboxContext } from '@fedify/fedify';
import { Article, Note, type Update } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import type { InboxService } from '../../../inbox/inbox.service.js';

/**
 * Update(Note/Article): the author edited a reply or mention we hold. An object named by URL
 * (or embedded from another origin) is fetched afresh, past Fedify's document cache, which
 * would still hold the text from before the edit. It applies only if it is the object asked
 * for, by the Update's actor, on the actor's server.
 */
export function onUpdate(inbox: InboxService, fetchFresh: DocumentLoader) {
  return async (ctx: InboxContext<void>, update: Update): Promise<void> => {
    const actorId = update.actorId;
    const objectId = update.objectId;
    if (!actorId || !objectId || objectId.origin !== actorId.origin) return;
    // Delivered to a profile's own inbox, Fedify's loader signs as that profile and caches nothing; the shared inbox's caches.
    const documentLoader = ctx.recipient ? await ctx.getDocumentLoader({ identifier: ctx.recipient }) : fetchFresh;
    const object = await update.getObject({ documentLoader, contextLoader: ctx.contextLoader, suppressError: true });
    if (!(object instanceof Note || object instanceof Article) || object.id?.href !== objectId.href) return;
    if (object.attributionId?.href !== actorId.href) return;
    await inbox.edit('activitypub', objectId.href, { html: object.content?.toString() ?? '' }, actorId.href);
  };
}
