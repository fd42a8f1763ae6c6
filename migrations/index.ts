import { Foundation1763834400000 } from './1763834400000-foundation.js';
import { ActivityPub1763900000000 } from './1763900000000-activitypub.js';

/** Every migration, in order. Listed explicitly: ESM has no glob loading. */
export const migrations = [Foundation1763834400000, ActivityPub1763900000000];
