import { InvalidInputError } from './domain-errors.js';

/**
 * Opaque keyset cursor over (timestamp, id), used by every newest-first list
 * (posts by created_at, the inbox by received_at): stable while rows arrive,
 * fast at any depth. The timestamps are kept to the millisecond in the schema,
 * so a cursor round-trips exactly.
 */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export function encodeKeysetCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([new Date(at).toISOString(), id])).toString('base64url');
}

export function decodeKeysetCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const date = new Date(at);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw new Error('malformed');
    return { at: date, id };
  } catch {
    throw new InvalidInputError('cursor: not a cursor this server issued', 'cursor');
  }
}
