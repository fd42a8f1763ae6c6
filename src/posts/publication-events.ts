import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { NotFoundError } from '../common/domain-errors.js';
import type { Protocol } from '../common/protocol.js';
import type { EventLogRecord, NewEvent } from '../event-log/event-log.entity.js';
import { EventLogTail } from '../event-log/event-log-tail.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { PublicationAction, PublicationState } from './publication.entity.js';

const PUBLICATION_UPDATED = 'publication.updated';

/** A publication as its row reads right after a change, with the profile of its post (whose stream it belongs to). */
export interface ChangedPublicationRow {
  id: string;
  post_id: string;
  profile_id: string;
  protocol: Protocol;
  state: PublicationState;
  action: PublicationAction;
  due_at: Date | null;
  attempts: number;
  last_error: string | null;
  published_at: Date | null;
}

/** What RETURNING must list for `publicationEventFrom`. */
export const CHANGED_PUBLICATION_COLUMNS =
  'id, post_id, protocol, state, action, due_at, attempts, last_error, published_at, ' +
  '(SELECT profile_id FROM post WHERE post.id = publication.post_id) AS profile_id';

/** The event that tells consoles a publication's state, attempts or last error changed. */
export function publicationEventFrom(row: ChangedPublicationRow): NewEvent {
  return {
    profileId: row.profile_id,
    type: PUBLICATION_UPDATED,
    subjectId: row.id,
    payload: {
      id: row.id,
      postId: row.post_id,
      protocol: row.protocol,
      state: row.state,
      action: row.action,
      dueAt: row.due_at,
      attempts: row.attempts,
      lastError: row.last_error,
      publishedAt: row.published_at,
    },
  };
}

/** Publication changes as live streams, from the shared event log (topic `publication`). */
@Injectable()
export class PublicationEvents {
  constructor(
    private readonly tail: EventLogTail,
    private readonly profiles: ProfilesRepository,
  ) {}

  /** Where the stream stands now: a page rendered after this call streams from here and misses nothing. */
  position(): Promise<string> {
    return this.tail.position('publication');
  }

  /** A profile's publication events after afterId (or from now), then live: no gap, no duplicate. */
  async stream(profileId: string, afterId?: string): Promise<Observable<EventLogRecord>> {
    if (!(await this.profiles.findById(profileId))) throw new NotFoundError('Profile', profileId);
    return this.tail.stream('publication', profileId, afterId);
  }
}
