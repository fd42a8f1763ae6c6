import type { AppBskyActorProfile, BlobRef } from '@atproto/api';
import { graphemePrefix } from './graphemes.js';

export interface ProfileRecordInput {
  displayName: string;
  bio: string;
  avatar?: BlobRef;
  banner?: BlobRef;
}

/** The app.bsky.actor.profile record of a canonical profile (avatar/banner: uploaded blob refs). Pure. */
export function toProfileRecord(input: ProfileRecordInput): AppBskyActorProfile.Record {
  const record: AppBskyActorProfile.Record = {
    $type: 'app.bsky.actor.profile',
    // Bluesky's lexicon limits: displayName 64 graphemes, description 256.
    displayName: graphemePrefix(input.displayName, 64),
    description: graphemePrefix(input.bio, 256),
  };
  if (input.avatar) record.avatar = input.avatar;
  if (input.banner) record.banner = input.banner;
  return record;
}
