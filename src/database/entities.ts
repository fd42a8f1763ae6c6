import { AuditEvent } from '../audit/audit-event.entity.js';
import { StaffSession } from '../auth/session.entity.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { MetricSnapshot } from '../analytics/metric-snapshot.entity.js';
import { Follower } from '../audience/follower.entity.js';
import { EventLogRecord } from '../event-log/event-log.entity.js';
import { InteractionNote } from '../inbox/interaction-note.entity.js';
import { Interaction } from '../inbox/interaction.entity.js';
import { Media } from '../media/media.entity.js';
import { OutboxEntry } from '../outbox/outbox-entry.entity.js';
import { Block } from '../moderation-rules/block.entity.js';
import { KeywordFilter } from '../moderation-rules/keyword-filter.entity.js';
import { Post } from '../posts/post.entity.js';
import { PostRevision } from '../posts/post-revision.entity.js';
import { Profile } from '../profiles/profile.entity.js';
import { ActorKey } from '../protocols/activitypub/actor-key.entity.js';
import { Publication } from '../posts/publication.entity.js';
import { AtprotoAccount } from '../protocols/atproto/accounts/atproto-account.entity.js';

/** Every entity, listed explicitly: ESM has no glob loading. */
export const entities = [
  AuditEvent,
  StaffSession,
  StaffUser,
  MetricSnapshot,
  Follower,
  Interaction,
  Media,
  Block,
  Post,
  PostRevision,
  Profile,
  Publication,
  InteractionNote,
  EventLogRecord,
  KeywordFilter,
  ActorKey,
  AtprotoAccount,
  OutboxEntry,
];
