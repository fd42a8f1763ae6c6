/**
 * The first rule of FEP-fe34 on the raw JSON of an inbound activity: its `id`
 * is on its actor's origin. Checked before Fedify parses or queues anything
 * (see federation.middleware.ts); the full checks run in `same-origin.ts`.
 * Returns why the activity is refused, or null when the rule holds or does not
 * apply (no id, no single actor: the later checks decide).
 */
export function activityOriginRefusal(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const id = (json as { id?: unknown }).id;
  const actor = actorIdOf(json);
  if (typeof id !== 'string' || !actor) return null;
  const idUrl = URL.parse(id);
  const actorUrl = URL.parse(actor);
  if (!idUrl || !actorUrl) return null;
  return idUrl.origin === actorUrl.origin ? null : `the activity id ${id} is not on the actor's origin ${actorUrl.origin}`;
}

/** The activity's one actor id, given as a string or as an object with an id. */
export function actorIdOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const actor = (json as { actor?: unknown }).actor;
  if (typeof actor === 'string') return actor;
  if (typeof actor === 'object' && actor !== null && !Array.isArray(actor)) {
    const id = (actor as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
