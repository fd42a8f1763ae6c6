import { Foundation1763834400000 } from './1763834400000-foundation.js';
import { AtprotoAccount1763852400000 } from './1763852400000-atproto-account.js';

/** Every migration, in order. Listed explicitly: ESM has no glob loading. */
export const migrations = [Foundation1763834400000, AtprotoAccount1763852400000];
