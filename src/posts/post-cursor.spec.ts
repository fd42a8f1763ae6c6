import { InvalidInputError } from '../common/domain-errors.js';
import { decodeCursor, encodeCursor } from './post-cursor.js';

describe('post cursor', () => {
  it('round-trips the keyset position', () => {
    const position = { createdAt: new Date('2026-11-22T10:00:00.123Z'), id: '3f1e2d4c-1111-4222-8333-444455556666' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'garbage', Buffer.from('["not a date","x"]').toString('base64url'), Buffer.from('{}').toString('base64url')])(
    'refuses %p as a cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(InvalidInputError);
    },
  );
});
