import { sessionTokenFrom } from './session-token.js';

describe('sessionTokenFrom', () => {
  it('prefers the bearer token', () => {
    expect(sessionTokenFrom({ authorization: 'Bearer abc', cookie: 'herald_session=def' })).toBe('abc');
  });

  it('falls back to the console cookie', () => {
    expect(sessionTokenFrom({ cookie: 'theme=dark; herald_session=def' })).toBe('def');
  });

  it('finds nothing in other schemes or empty values', () => {
    expect(sessionTokenFrom({ authorization: 'Basic abc' })).toBeUndefined();
    expect(sessionTokenFrom({ authorization: 'Bearer ' })).toBeUndefined();
    expect(sessionTokenFrom({})).toBeUndefined();
  });
});
