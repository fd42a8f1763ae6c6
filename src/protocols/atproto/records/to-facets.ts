import { type AppBskyRichtextFacet, UnicodeString } from '@atproto/api';
import { mentionProfileUrl, tokenizePostText, type PostTextToken } from '../../../posts/post-text.js';

type Feature = AppBskyRichtextFacet.Main['features'][number];

/**
 * Rich-text facets for a post's text, from the shared tokens, at UTF-8 byte
 * offsets. A Bluesky mention needs its DID (an unresolved one stays text); a
 * fediverse mention cannot be a Bluesky mention, so it links to its profile.
 */
export function toFacets(text: string, mentionDids: ReadonlyMap<string, string>): AppBskyRichtextFacet.Main[] {
  const bytes = new UnicodeString(text);
  const facets: AppBskyRichtextFacet.Main[] = [];
  let start = 0;
  for (const token of tokenizePostText(text)) {
    const end = start + token.text.length;
    const feature = featureOf(token, mentionDids);
    if (feature) {
      facets.push({
        $type: 'app.bsky.richtext.facet',
        index: { byteStart: bytes.utf16IndexToUtf8Index(start), byteEnd: bytes.utf16IndexToUtf8Index(end) },
        features: [feature],
      });
    }
    start = end;
  }
  return facets;
}

function featureOf(token: PostTextToken, mentionDids: ReadonlyMap<string, string>): Feature | null {
  switch (token.kind) {
    case 'link':
      return { $type: 'app.bsky.richtext.facet#link', uri: token.url };
    case 'hashtag':
      return { $type: 'app.bsky.richtext.facet#tag', tag: token.tag };
    case 'mention': {
      if (token.mention.network === 'fediverse') return { $type: 'app.bsky.richtext.facet#link', uri: mentionProfileUrl(token.mention) };
      const did = mentionDids.get(token.mention.handle.toLowerCase());
      return did ? { $type: 'app.bsky.richtext.facet#mention', did } : null;
    }
    default:
      return null;
  }
}
