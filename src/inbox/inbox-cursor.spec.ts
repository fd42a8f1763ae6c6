import { InvalidInputError } from '../common/domain-errors.js';
import { decodeInboxCursor, encodeInboxCursor } from './inbox-cursor.js';

describe('inbox cursor', () => {
  it('round-trips (received_at, id) with millisecond precision', () => {
    const item = { receivedAt: new Date('2026-11-22T18:43:14.123Z'), id: '0b7e1c3a-5f1d-4c1e-9a55-3d2f4a6b7c8d' };
    expect(decodeInboxCursor(encodeInboxCursor(item))).toEqual(item);
  });

  it.each(['', 'garbage', Buffer.from('["not a date","0b7e1c3a-5f1d-4c1e-9a55-3d2f4a6b7c8d"]').toString('base64url'), Buffer.from('["2026-01-01T00:00:00Z","1; DROP TABLE interaction"]').toString('base64url')])(
    'refuses %j as a cursor this server did not issue',
    (cursor) => {
      expect(() => decodeInboxCursor(cursor)).toThrow(InvalidInputError);
    },
  );
});
