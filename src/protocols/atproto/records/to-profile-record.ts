import { graphemePrefix } from './graphemes.js';

export interface ProfileRecordInput {
  displayName: string;
  bio: string;
  avatar?: unknown;
  banner?: unknown;
}

/** The app.bsky.actor.profile record of a canonical profile (avatar/banner: uploaded blob refs). Pure. */
export function toProfileRecord(input: ProfileRecordInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    $type: 'app.bsky.actor.profile',
    // Bluesky's lexicon limits: displayName 64 graphemes, description 256.
    displayName: graphemePrefix(input.displayName, 64),
    description: graphemePrefix(input.bio, 256),
  };
  if (input.avatar) record.avatar = input.avatar;
  if (input.banner) record.banner = input.banner;
  return record;
}
