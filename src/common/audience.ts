/**
 * Who may read something: everyone and listed (public), everyone but not listed (unlisted),
 * the author's followers only, or only the accounts it names (direct).
 */
export const AUDIENCES = ['public', 'unlisted', 'followers', 'direct'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Audiences whose posts and interactions may be shown on public pages, feeds and reports. */
export const PUBLIC_AUDIENCES: readonly Audience[] = ['public', 'unlisted'];
