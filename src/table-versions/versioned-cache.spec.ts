import type { VersionStamp } from './table-versions.js';
import { VersionedCache } from './versioned-cache.js';

const at = (block: bigint): VersionStamp => ({ profile: 1n, post: 1n, block, keyword_filter: 1n });

describe('VersionedCache', () => {
  it('answers from what it holds while the table version is the same, and forgets it when the version moves on', () => {
    const cache = new VersionedCache<string, boolean>('block', 10);
    cache.set('troll', false, at(1n));
    expect(cache.get('troll', at(1n))).toEqual({ value: false });
    expect(cache.get('troll', at(2n))).toBeUndefined();
  });

  it('ignores a version of another table', () => {
    const cache = new VersionedCache<string, boolean>('block', 10);
    cache.set('troll', false, at(1n));
    expect(cache.get('troll', { ...at(1n), post: 7n })).toEqual({ value: false });
  });

  it('does not keep a value loaded under an older version than it has seen since', () => {
    const cache = new VersionedCache<string, boolean>('block', 10);
    expect(cache.get('other', at(2n))).toBeUndefined();
    cache.set('troll', false, at(1n));
    expect(cache.get('troll', at(2n))).toBeUndefined();
  });

  it('answers a caller holding an older version with what is current now', () => {
    const cache = new VersionedCache<string, boolean>('block', 10);
    cache.set('troll', true, at(3n));
    expect(cache.get('troll', at(2n))).toEqual({ value: true });
  });

  it('keeps a null answer, and loads only what it lacks', async () => {
    const cache = new VersionedCache<string, string | null>('block', 10);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return null;
    };
    expect(await cache.fetch('nobody', at(1n), load)).toBeNull();
    expect(await cache.fetch('nobody', at(1n), load)).toBeNull();
    expect(loads).toBe(1);
  });

  it('holds at most max entries', () => {
    const cache = new VersionedCache<string, number>('block', 2);
    ['a', 'b', 'c'].forEach((key, index) => cache.set(key, index, at(1n)));
    expect(cache.get('a', at(1n))).toBeUndefined();
    expect(cache.get('c', at(1n))).toEqual({ value: 2 });
  });
});
