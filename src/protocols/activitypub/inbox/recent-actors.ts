import type { InboxContext } from '@fedify/fedify';
import { type Activity, type Actor, isActor } from '@fedify/vocab';
import { LRUCache } from 'lru-cache';

const KEEP_MS = 60_000;
const MAX_ACTORS = 5_000;

/**
 * The actors of recent activities, parsed. A busy thread brings many replies and likes from the
 * same accounts; reading and parsing each one's document again (the JSON-LD expansion and key
 * import of a Person) was most of the work of a like. A minute old at most, so a changed name or
 * avatar shows on the next interaction after that.
 */
export class RecentActors {
  private readonly actors = new LRUCache<string, Actor>({ max: MAX_ACTORS, ttl: KEEP_MS });

  /** The activity's actor (Fedify's `getActor`), or null when it is not an actor with the activity's actor id. */
  async of(ctx: InboxContext<void>, activity: Activity): Promise<Actor | null> {
    const id = activity.actorId?.href;
    if (!id) return null;
    const known = this.actors.get(id);
    if (known) return known;
    const actor = await activity.getActor(ctx);
    if (!actor || !isActor(actor) || actor.id?.href !== id) return null;
    this.actors.set(id, actor);
    return actor;
  }
}
