import { AppBskyActorProfile, AppBskyFeedPost, type BlobRef, jsonToLex, lexToJson } from '@atproto/api';
import { graphemeCount } from './graphemes.js';
import { planPostParts } from './plan-post-parts.js';
import { splitThread } from './split-thread.js';
import { toFeedPost } from './to-feed-post.js';
import { toProfileRecord } from './to-profile-record.js';

const createdAt = new Date('2026-11-22T10:00:00.000Z');
/** An uploaded image as the PDS answers it: JSON on the wire, a BlobRef once the client parsed it. */
const image = jsonToLex({
  $type: 'blob',
  ref: { $link: 'bafkreibd4f3fzwlgsl6lvl6bw4exbyw5b4s7srkbso7evnhrbk4cjcw34q' },
  mimeType: 'image/png',
  size: 10,
}) as BlobRef;

describe('toFeedPost', () => {
  it('computes link, hashtag and resolved mention facets with UTF-8 byte offsets', () => {
    const record = toFeedPost({
      text: 'Grüße @alice.test and @nobody.test: see https://example.eu/x #health',
      createdAt,
      language: 'de',
      mentionDids: new Map([['alice.test', 'did:plc:alice']]),
    });
    expect(record).toMatchSnapshot();
    const features = (record.facets as Array<{ index: { byteStart: number }; features: Array<{ $type: string }> }>).map(
      (facet) => facet.features[0].$type,
    );
    expect(features).toEqual(['app.bsky.richtext.facet#mention', 'app.bsky.richtext.facet#link', 'app.bsky.richtext.facet#tag']);
    // "Grüße " is 8 bytes in UTF-8 (ü and ß take two each): the mention starts there.
    expect((record.facets as Array<{ index: { byteStart: number } }>)[0].index.byteStart).toBe(8);
  });

  it('links a fediverse mention to its profile and leaves an all-digit tag and an unresolved handle as text', () => {
    const record = toFeedPost({ text: '🇪🇺 #2024 @ana@social.example @nobody.test', createdAt });
    expect(record.facets).toEqual([
      {
        $type: 'app.bsky.richtext.facet',
        // The flag is 8 bytes, "#2024" 5 and two spaces 2: the mention starts at byte 15.
        index: { byteStart: 15, byteEnd: 34 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://social.example/@ana' }],
      },
    ]);
  });

  it('puts images with alt text, a reply and a content warning self-label on the record', () => {
    const root = { uri: 'at://did:plc:a/app.bsky.feed.post/1', cid: 'bafyreicicneu2e36cyy3xiyb2wwkw3t3w6vhjtqrqxkfmvs66uoxg5txwi' };
    const parent = { uri: 'at://did:plc:b/app.bsky.feed.post/2', cid: 'bafyreiheoeszncz3oecj7pciali6ictr5ijvtxwpvowpoczulcadpvh7bq' };
    const record = toFeedPost({
      text: 'hi',
      createdAt,
      contentWarning: 'war',
      images: [{ blob: image, alt: 'a map', width: 4, height: 3 }],
      reply: { root, parent },
    });
    expect(AppBskyFeedPost.validateRecord(record).success).toBe(true);
    // The JSON that goes on the wire.
    expect(lexToJson(record)).toMatchSnapshot();
  });
});

describe('splitThread', () => {
  it('keeps short text in one part', () => {
    expect(splitThread('short')).toEqual(['short']);
  });

  it('splits at sentence ends into parts of at most 300 graphemes, losing no word', () => {
    const sentence = 'The Commission adopts a new strategy for the Black Sea region today. ';
    const text = sentence.repeat(12).trim();
    const parts = splitThread(text);
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(graphemeCount(part)).toBeLessThanOrEqual(300);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('counts emoji as one grapheme each, never cutting one in half', () => {
    const text = '👩‍👩‍👧‍👦'.repeat(650);
    const parts = splitThread(text);
    expect(parts.map(graphemeCount)).toEqual([300, 300, 50]);
    expect(parts.join('')).toBe(text);
  });
});

describe('planPostParts', () => {
  const long = 'word '.repeat(100).trim();

  it('makes an article one post with a card to its page', () => {
    expect(
      planPostParts(
        { kind: 'article', text: long, title: 'Strategy', summary: 'What we propose' },
        'thread',
        'https://h.example/@eu/posts/1',
      ),
    ).toEqual({
      texts: ['Strategy\n\nWhat we propose'],
      card: { uri: 'https://h.example/@eu/posts/1', title: 'Strategy', description: 'What we propose' },
    });
  });

  it('makes a long note a thread by default and a cut post with a link card in link mode', () => {
    expect(planPostParts({ kind: 'note', text: long, title: null, summary: null }, 'thread', 'u').texts.length).toBe(2);
    const linked = planPostParts({ kind: 'note', text: long, title: null, summary: null }, 'link', 'https://h.example/p');
    expect(linked.texts).toHaveLength(1);
    expect(graphemeCount(linked.texts[0])).toBeLessThanOrEqual(300);
    expect(linked.texts[0].endsWith('…')).toBe(true);
    expect(linked.card?.uri).toBe('https://h.example/p');
  });
});

describe('toProfileRecord', () => {
  it('limits display name and description to the lexicon lengths', () => {
    const record = toProfileRecord({ displayName: 'x'.repeat(80), bio: 'y'.repeat(300), avatar: image });
    expect(AppBskyActorProfile.validateRecord(record).success).toBe(true);
    expect(record.displayName).toHaveLength(64);
    expect(record.description).toHaveLength(256);
    expect(record.avatar).toBe(image);
    expect(record.banner).toBeUndefined();
  });
});
