import type { Actor, Object as APObject } from '@fedify/vocab';
import type { FollowerInput } from '../../audience/followers.repository.js';
import type { InteractionReceived } from '../../inbox/interaction-received.js';
import type { ActivityPubReplyRefs } from './activitypub-refs.js';

type Author = InteractionReceived['author'];

/** `user@host` of a remote actor, from its own document (no WebFinger round trip). */
export function acctOf(actor: Actor): string | null {
  if (!actor.id || !actor.preferredUsername) return null;
  return `${actor.preferredUsername}@${actor.id.host}`;
}

/** A remote actor as the author of an interaction. */
export async function authorFromActor(actor: Actor): Promise<Author> {
  const icon = await actor.getIcon().catch(() => null);
  const url = actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? actor.id!.href);
  return {
    id: actor.id!.href,
    handle: acctOf(actor),
    name: actor.name?.toString() ?? null,
    avatarUrl: icon?.url instanceof URL ? icon.url.href : (icon?.url?.href?.href ?? null),
    url,
    domain: actor.id!.hostname,
  };
}

/** What answering an AP interaction needs later: the object to reply to and where its author reads. */
function replyRefsFromObject(objectId: URL, actor: Actor): ActivityPubReplyRefs {
  return {
    objectId: objectId.href,
    authorId: actor.id!.href,
    authorAcct: acctOf(actor),
    authorInbox: actor.inboxId?.href ?? null,
    authorSharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
  };
}

/** A remote actor that follows a profile, with the Follow's id to match a later Undo. */
export function followerFromActor(profileId: string, actor: Actor, author: Author, followId: string): FollowerInput {
  return {
    profileId,
    protocol: 'activitypub',
    remoteActorId: actor.id!.href,
    handle: author.handle ?? null,
    displayName: author.name ?? null,
    avatarUrl: author.avatarUrl ?? null,
    profileUrl: author.url ?? null,
    inboxUrl: actor.inboxId?.href ?? null,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
    domain: actor.id!.hostname,
    followId,
  };
}

/** A remote Note/Article answering or mentioning a profile, as an inbox interaction. */
export function interactionFromPostObject(
  object: APObject,
  actor: Actor,
  author: Author,
  target: { profileId: string; postId: string | null; kind: 'reply' | 'mention' },
): InteractionReceived {
  const url = object.url instanceof URL ? object.url.href : (object.url?.href?.href ?? object.id!.href);
  return {
    profileId: target.profileId,
    protocol: 'activitypub',
    kind: target.kind,
    remoteId: object.id!.href,
    author,
    targetPostId: target.postId,
    parentRemoteId: object.replyTargetId?.href ?? null,
    replyRefs: replyRefsFromObject(object.id!, actor),
    html: object.content?.toString() ?? null,
    url,
    createdAt: object.published ? new Date(object.published.epochMilliseconds) : null,
  };
}
