import { InvalidInputError } from '../common/domain-errors.js';

/** Keyset cursor over (received_at, id): stable while new interactions arrive, fast at any depth. */
export function encodeInboxCursor(item: { receivedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([new Date(item.receivedAt).toISOString(), item.id])).toString('base64url');
}

export function decodeInboxCursor(cursor: string): { receivedAt: Date; id: string } {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const date = new Date(receivedAt);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw new Error('malformed');
    return { receivedAt: date, id };
  } catch {
    throw new InvalidInputError('cursor: not a cursor this server issued', 'cursor');
  }
}
