/** What staff call each protocol. */
export const NETWORK_NAMES: Record<string, string> = { activitypub: 'Fediverse', atproto: 'Bluesky' };
