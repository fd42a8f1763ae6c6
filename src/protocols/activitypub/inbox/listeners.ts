import type { Federation } from '@fedify/fedify';
import { Announce, Block, Create, Delete, Flag, Follow, Like, Move, Undo, Update } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
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

export interface InboxDependencies {
  targets: InboundTargets;
  audience: AudienceService;
  followers: FollowersRepository;
  inbox: InboxService;
  /** Loads documents past Fedify's cache, for objects that may have just changed. */
  fetchFresh: DocumentLoader;
}

/** Every inbound activity Herald understands, one handler each. Fedify has already checked signatures. */
export function registerInboxListeners(
  federation: Federation<void>,
  { targets, audience, followers, inbox, fetchFresh }: InboxDependencies,
): void {
  federation
    .setInboxListeners('/@{identifier}/inbox', '/inbox')
    .on(Follow, onFollow(targets, audience))
    .on(Undo, onUndo(targets, audience, followers, inbox))
    .on(Like, onReaction('like', targets, inbox))
    .on(Announce, onReaction('repost', targets, inbox))
    .on(Create, onCreate(targets, inbox))
    .on(Update, onUpdate(inbox, fetchFresh))
    .on(Delete, onDelete(targets, inbox, followers))
    .on(Move, onMove(targets, audience, followers))
    .on(Flag, onFlag(targets, inbox))
    .on(Block, onBlock(targets, followers));
}
