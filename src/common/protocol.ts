/** The networks Herald publishes to: the fediverse (ActivityPub) and Bluesky (AT Protocol). */
export const PROTOCOLS = ['activitypub', 'atproto'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
