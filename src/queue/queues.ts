/** Every BullMQ queue Herald uses. A job carries ids, never whole objects. */
export const QUEUES = {
  /** Publication jobs ({ publicationId }) and the periodic sweep. */
  publications: 'publications',
  /** Delayed jobs that publish a scheduled post at its time ({ postId }). */
  scheduledPosts: 'scheduled-posts',
  /** Pushes a profile's identity to each protocol ({ profileId }). */
  profileSync: 'profile-sync',
  /** Sends a profile's account block or unblock to the network ({ action, profileId, protocol, actorId }). */
  blockDelivery: 'block-delivery',
  /** Repeatable: polls the Bluesky AppView for every profile's notifications and counts. */
  atprotoPoll: 'atproto-poll',
  /** ActivityPub fan-outs to deliver ({ fanoutId }); their deliveries' state is in PostgreSQL. */
  apDelivery: 'ap-delivery',
  /** Repeatable housekeeping: prunes the event log past its retention. */
  maintenance: 'maintenance',
} as const;
