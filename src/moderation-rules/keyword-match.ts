import type { KeywordFilter } from './keyword-filter.entity.js';

export interface KeywordVerdict {
  labels: string[];
  hidden: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word, case-insensitive match in any script: "spam" matches "SPAM!" but not "spammer". */
export function matchesKeyword(text: string, pattern: string): boolean {
  const words = pattern.trim().split(/\s+/).map(escape).join('\\s+');
  if (!words) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** What the profile's keyword filters decide for an incoming text. */
export function applyKeywordFilters(filters: Array<Pick<KeywordFilter, 'pattern' | 'action' | 'label'>>, text: string): KeywordVerdict {
  const labels = new Set<string>();
  let hidden = false;
  for (const filter of filters) {
    if (!matchesKeyword(text, filter.pattern)) continue;
    if (filter.action === 'hide') hidden = true;
    else if (filter.label) labels.add(filter.label);
  }
  return { labels: [...labels], hidden };
}
