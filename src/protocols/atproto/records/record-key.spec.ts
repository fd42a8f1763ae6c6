import { newRecordKey } from './record-key.js';

describe('newRecordKey', () => {
  it('makes valid, strictly increasing TIDs even within one millisecond', () => {
    const keys = Array.from({ length: 50 }, () => newRecordKey(1_763_800_000_000));
    for (const key of keys) expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(50);
  });
});
