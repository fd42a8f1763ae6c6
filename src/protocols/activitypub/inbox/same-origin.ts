import type { InboxContext } from '@fedify/fedify';
import { type Activity, Create, Delete, Update } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import { Logger } from '@nestjs/common';

const logger = new Logger('ActivityPubInbox');

/** Longer ids are not ids (Mastodon refuses URIs over 2,048 characters too); they would only bloat what is stored. */
const MAX_ID_LENGTH = 2048;

/**
 * FEP-fe34 for every inbound activity, before its handler: exactly one actor (Fedify has
 * checked that it owns the signing key), an id on that actor's origin, no oversized ids, and
 * for Create, Update and Delete an object on that origin too (it is checked, not fetched).
 * An activity whose id names another server is someone speaking for that server, the start
 * of the spoofing in Mastodon's CVE-2024-23832; it is also what makes Fedify trust objects
 * embedded under that server's ids. Returns why the activity is refused, or null.
 */
export function sameOriginRefusal(activity: Activity): string | null {
  const actorIds = activity.actorIds;
  if (!activity.id) return 'the activity has no id';
  if (actorIds.length !== 1) return `the activity names ${actorIds.length} actors, not one`;
  const [actorId] = actorIds;
  if (activity.id.href.length > MAX_ID_LENGTH || actorId.href.length > MAX_ID_LENGTH) return 'an id is over 2048 characters';
  if (activity.id.origin !== actorId.origin) return `the activity id ${activity.id.href} is not on the actor's origin ${actorId.origin}`;
  for (const objectId of activity.objectIds) {
    if (objectId.href.length > MAX_ID_LENGTH) return 'an object id is over 2048 characters';
    // One creates, edits and deletes only one's own objects, which live on one's own server: never fetch another's.
    if (authoredByActor(activity) && objectId.origin !== actorId.origin)
      return `the object ${objectId.href} is not on the actor's origin ${actorId.origin}`;
  }
  return null;
}

const authoredByActor = (activity: Activity) => activity instanceof Create || activity instanceof Update || activity instanceof Delete;

/** Runs the listener only for an activity that passes {@link sameOriginRefusal}; a refused one is logged and dropped. */
export function sameOriginOnly<TActivity extends Activity>(
  listener: (ctx: InboxContext<void>, activity: TActivity) => Promise<void>,
): (ctx: InboxContext<void>, activity: TActivity) => Promise<void> {
  return async (ctx, activity) => {
    const reason = sameOriginRefusal(activity);
    if (reason) return refuse(activity, reason);
    return listener(ctx, activity);
  };
}

/** One structured warning per refused activity: which server sent what, and why nothing was stored. */
export function refuse(activity: Activity, reason: string): void {
  const actorId = activity.actorId;
  logger.warn(
    {
      remoteHost: actorId?.host ?? activity.id?.host ?? null,
      activityType: activity.constructor.name,
      activityId: activity.id?.href ?? null,
      actorId: actorId?.href ?? null,
      reason,
    },
    'Refused an inbound activity',
  );
}

/**
 * A loader for objects that must be read from their own server now: past Fedify's document
 * cache (which may hold a copy from before an edit), signed as the recipient when the
 * activity came to a profile's own inbox (servers with authorized fetch ask for that).
 */
export async function freshLoader(ctx: InboxContext<void>, fetchFresh: DocumentLoader): Promise<DocumentLoader> {
  return ctx.recipient ? ctx.getDocumentLoader({ identifier: ctx.recipient }) : fetchFresh;
}
