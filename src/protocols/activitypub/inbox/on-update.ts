import type { InboxContext } from '@fedify/fedify';
import { Article, Note, type Update } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import type { InboxService } from '../../../inbox/inbox.service.js';
import { freshLoader, refuse } from './same-origin.js';

/**
 * Update(Note/Article): the author edited a reply or mention we hold. The object is on the
 * actor's origin (same-origin.ts checked). Embedded, it is taken as sent (the Update's id is on the same origin); named by
 * URL, it is fetched afresh, past Fedify's document cache, which would still hold the text from
 * before the edit. It applies only if it is the object asked for and attributed to the signer,
 * and only to an interaction that signer authored (the inbox checks that too).
 */
export function onUpdate(inbox: InboxService, fetchFresh: DocumentLoader) {
  return async (ctx: InboxContext<void>, update: Update): Promise<void> => {
    const actorId = update.actorId!;
    const objectId = update.objectId;
    if (!objectId) return refuse(update, 'it has no object');
    const documentLoader = await freshLoader(ctx, fetchFresh);
    const object = await update.getObject({ documentLoader, contextLoader: ctx.contextLoader, suppressError: true });
    if (!(object instanceof Note || object instanceof Article)) return;
    if (object.id?.href !== objectId.href) return refuse(update, 'the object fetched is not the one named');
    if (object.attributionId?.href !== actorId.href)
      return refuse(update, `the object is attributed to ${object.attributionId?.href ?? 'no one'}`);
    const html = object.content?.toString() ?? '';
    if ((await inbox.edit('activitypub', objectId.href, { html }, actorId.href)) === 'not-author')
      refuse(update, 'the actor did not author the stored reply or mention');
  };
}
