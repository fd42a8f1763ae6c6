import { sessionFrom } from './session-token.js';

describe('sessionFrom', () => {
  it('prefers the bearer token', () => {
    expect(sessionFrom({ authorization: 'Bearer abc', cookie: 'herald_session=def' })).toEqual({ token: 'abc', via: 'bearer' });
  });

  it('falls back to the console cookie', () => {
    expect(sessionFrom({ cookie: 'theme=dark; herald_session=def' })).toEqual({ token: 'def', via: 'cookie' });
  });

  it('leaves the cookie in charge under another Authorization scheme', () => {
    expect(sessionFrom({ authorization: 'Basic YTpi', cookie: 'herald_session=def' })).toEqual({ token: 'def', via: 'cookie' });
  });

  it('finds nothing in other schemes or empty values', () => {
    expect(sessionFrom({ authorization: 'Basic abc' })).toBeUndefined();
    expect(sessionFrom({ authorization: 'Bearer ' })).toBeUndefined();
    expect(sessionFrom({})).toBeUndefined();
  });
});
