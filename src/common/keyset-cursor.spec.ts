import { InvalidInputError } from './domain-errors.js';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';

describe('keyset cursor', () => {
  it('round-trips (timestamp, id) with millisecond precision', () => {
    const position = { at: new Date('2026-11-22T10:00:00.123Z'), id: '3f1e2d4c-1111-4222-8333-444455556666' };
    expect(decodeKeysetCursor(encodeKeysetCursor(position.at, position.id))).toEqual(position);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('["not a date","3f1e2d4c-1111-4222-8333-444455556666"]').toString('base64url'),
    Buffer.from('["2026-01-01T00:00:00Z","1; DROP TABLE interaction"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses %j as a cursor this server did not issue', (cursor) => {
    expect(() => decodeKeysetCursor(cursor)).toThrow(InvalidInputError);
  });
});
