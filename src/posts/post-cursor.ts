import { InvalidInputError } from '../common/domain-errors.js';

/** Keyset cursor over (created_at, id): stable under inserts, fast at any depth. */
export function encodeCursor(post: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([post.createdAt.toISOString(), post.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const date = new Date(createdAt);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw new Error('malformed');
    return { createdAt: date, id };
  } catch {
    throw new InvalidInputError('cursor: not a cursor this server issued', 'cursor');
  }
}
