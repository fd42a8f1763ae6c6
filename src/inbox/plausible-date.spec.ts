import { plausibleDate } from './inbox.service.js';

describe('plausibleDate', () => {
  it('keeps a real post date and drops what PostgreSQL could not hold or no post could have', () => {
    const real = new Date('2026-11-23T10:00:00Z');
    expect(plausibleDate(real)).toBe(real);
    expect(plausibleDate(new Date('-264440-02-16T12:49:37.961Z'))).toBeNull();
    expect(plausibleDate(new Date('1969-12-31T00:00:00Z'))).toBeNull();
    expect(plausibleDate(new Date(Date.now() + 3 * 24 * 3600_000))).toBeNull();
    expect(plausibleDate(new Date(Number.NaN))).toBeNull();
    expect(plausibleDate(null)).toBeNull();
  });
});
