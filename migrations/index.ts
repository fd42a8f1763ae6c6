import { Foundation1763834400000 } from './1763834400000-foundation.js';
import { AtprotoAccount1763852400000 } from './1763852400000-atproto-account.js';
import { ActivityPub1763900000000 } from './1763900000000-activitypub.js';
import { InboxTriage1763920800000 } from './1763920800000-inbox-triage.js';
import { EventLog1763942400000 } from './1763942400000-event-log.js';
import { Outbox1763990000000 } from './1763990000000-outbox.js';
import { Analytics1764010000000 } from './1764010000000-analytics.js';
import { AudienceAndReactions1764020000000 } from './1764020000000-audience-and-reactions.js';
import { ActivityPubDeliveries1764200000000 } from './1764200000000-activitypub-deliveries.js';
import { AtprotoFirehoseCursor1764030000000 } from './1764030000000-atproto-firehose-cursor.js';
import { NetworkAttempts1764300000000 } from './1764300000000-network-attempts.js';
import { PostRevisions1764310000000 } from './1764310000000-post-revisions.js';
import { TableVersions1764410000000 } from './1764410000000-table-versions.js';

/** Every migration, in order. Listed explicitly: ESM has no glob loading. */
export const migrations = [
  Foundation1763834400000,
  AtprotoAccount1763852400000,
  ActivityPub1763900000000,
  InboxTriage1763920800000,
  EventLog1763942400000,
  Outbox1763990000000,
  Analytics1764010000000,
  AudienceAndReactions1764020000000,
  ActivityPubDeliveries1764200000000,
  AtprotoFirehoseCursor1764030000000,
  NetworkAttempts1764300000000,
  PostRevisions1764310000000,
  TableVersions1764410000000,
];
