import { Foundation1763834400000 } from './1763834400000-foundation.js';

/** Every migration, in order. Listed explicitly: ESM has no glob loading. */
export const migrations = [Foundation1763834400000];
