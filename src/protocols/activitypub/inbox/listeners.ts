import type { Federation } from '@fedify/fedify';
import { Announce, Block, Create, Delete, EmojiReact, Flag, Follow, Like, Move, Undo, Update } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { OutgoingHttp } from '../../../net/outgoing-http.js';
import type { InboundTargets } from '../inbound-targets.js';
import { onBlock } from './on-block.js';
import { onCreate } from './on-create.js';
import { onDelete } from './on-delete.js';
import { onFlag } from './on-flag.js';
import { onFollow } from './on-follow.js';
import { onMove } from './on-move.js';
import { onReaction } from './on-reaction.js';
import { onUndo } from './on-undo.js';
import { onUpdate } from './on-update.js';
import { RecentActors } from './recent-actors.js';
import { sameOriginOnly } from './same-origin.js';

export interface InboxDependencies {
  targets: InboundTargets;
  audience: AudienceService;
  followers: FollowersRepository;
  inbox: InboxService;
  /** Loads documents past Fedify's cache, for objects that may have just changed. */
  fetchFresh: DocumentLoader;
  /** Runs a `ctx.sendActivity` from a profile so that its fan-out is stored and delivered like any other. */
  sendFrom: SendFrom;
  /** Checks the inboxes an actor declares before Herald keeps them. */
  http: OutgoingHttp;
}

export type SendFrom = (profileId: string, send: () => Promise<unknown>) => Promise<void>;

/**
 * Every inbound activity Herald understands, one handler each. Fedify has already checked the
 * signature and that the signer is the activity's actor; each handler runs only for an activity
 * whose id is on that actor's origin (FEP-fe34, see same-origin.ts).
 */
export function registerInboxListeners(
  federation: Federation<void>,
  { targets, audience, followers, inbox, fetchFresh, sendFrom, http }: InboxDependencies,
): void {
  const actors = new RecentActors();
  federation
    .setInboxListeners('/@{identifier}/inbox', '/inbox')
    .on(Follow, sameOriginOnly(onFollow(targets, audience, sendFrom, http)))
    .on(Undo, sameOriginOnly(onUndo(targets, audience, followers, inbox)))
    .on(Like, sameOriginOnly(onReaction('like', targets, inbox, actors)))
    .on(EmojiReact, sameOriginOnly(onReaction('like', targets, inbox, actors)))
    .on(Announce, sameOriginOnly(onReaction('repost', targets, inbox, actors)))
    .on(Create, sameOriginOnly(onCreate(targets, inbox, http, actors)))
    .on(Update, sameOriginOnly(onUpdate(inbox, fetchFresh)))
    .on(Delete, sameOriginOnly(onDelete(targets, inbox, followers)))
    .on(Move, sameOriginOnly(onMove(targets, audience, followers, fetchFresh, http)))
    .on(Flag, sameOriginOnly(onFlag(targets, inbox)))
    .on(Block, sameOriginOnly(onBlock(targets, followers)));
}
