import { applyKeywordFilters, matchesKeyword } from './keyword-match.js';

describe('keyword filters', () => {
  it('matches whole words case-insensitively', () => {
    expect(matchesKeyword('Buy CHEAP pills now!', 'cheap pills')).toBe(true);
    expect(matchesKeyword('cheapskate', 'cheap')).toBe(false);
    expect(matchesKeyword('Ärger über Zölle', 'zölle')).toBe(true);
  });

  it('treats regex characters in a pattern as text', () => {
    expect(matchesKeyword('price is $5 (approx)', '(approx)')).toBe(true);
    expect(matchesKeyword('anything', '.*')).toBe(false);
  });

  it('collects labels from matching filters and hides on a hide filter', () => {
    const filters = [
      { pattern: 'refund', action: 'label' as const, label: 'billing' },
      { pattern: 'crypto', action: 'hide' as const, label: null },
      { pattern: 'unrelated', action: 'label' as const, label: 'other' },
    ];
    expect(applyKeywordFilters(filters, 'Refund please')).toEqual({ labels: ['billing'], hidden: false });
    expect(applyKeywordFilters(filters, 'refund in crypto')).toEqual({ labels: ['billing'], hidden: true });
    expect(applyKeywordFilters(filters, 'hello')).toEqual({ labels: [], hidden: false });
  });
});
