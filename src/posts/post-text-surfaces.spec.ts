import { decodeHTML } from 'entities';
import { toNote, type PostObjectInput } from '../protocols/activitypub/post-object.js';
import { toFeedPost } from '../protocols/atproto/records/to-feed-post.js';
import { toPostHtml } from '../web/post-html.js';

/** What a reader can follow on a surface: hashtags (without #), links (their target) and mentions (as written). */
interface Marked {
  tags: string[];
  links: string[];
  mentions: string[];
}

const text = 'Happy #2024 from #Herald 🎉\nRead https://herald.example/news. Thanks @alice@example.social and @bob.bsky.social 👋';
const expected: Marked = {
  tags: ['Herald'],
  links: ['https://herald.example/news'],
  mentions: ['@alice@example.social', '@bob.bsky.social'],
};

const anchors = (html: string) =>
  [...html.matchAll(/<a ([^>]*)>(.*?)<\/a>/g)].map(([, attributes, inner]) => ({
    attributes,
    href: decodeHTML(/href="([^"]*)"/.exec(attributes)![1]),
    text: decodeHTML(inner.replace(/<[^>]+>/g, '')),
  }));

function markedInPublicHtml(html: string): Marked {
  const marked: Marked = { tags: [], links: [], mentions: [] };
  for (const anchor of anchors(html)) {
    if (anchor.attributes.includes('rel="tag"')) marked.tags.push(anchor.text.slice(1));
    else if (anchor.text.startsWith('@')) marked.mentions.push(anchor.text);
    else marked.links.push(anchor.href);
  }
  return marked;
}

function markedInActivityPub(html: string, mentionTags: Array<{ href: string; name: string }>): Marked {
  const marked: Marked = { tags: [], links: [], mentions: [] };
  for (const anchor of anchors(html)) {
    if (anchor.attributes.includes('class="mention hashtag"')) marked.tags.push(anchor.text.slice(1));
    // An h-card shows only @user; the Mention tag with the same href names the account in full.
    else if (anchor.attributes.includes('class="u-url mention"'))
      marked.mentions.push(mentionTags.find((tag) => tag.href === anchor.href)!.name);
    else if (anchor.text.startsWith('@')) marked.mentions.push(anchor.text);
    else marked.links.push(anchor.href);
  }
  return marked;
}

type Facet = { index: { byteStart: number; byteEnd: number }; features: Array<{ $type: string; uri?: string; tag?: string }> };

function markedInBlueskyFacets(recordText: string, facets: unknown): Marked {
  const bytes = Buffer.from(recordText, 'utf8');
  const marked: Marked = { tags: [], links: [], mentions: [] };
  for (const { index, features } of facets as Facet[]) {
    const covered = bytes.subarray(index.byteStart, index.byteEnd).toString('utf8');
    for (const feature of features) {
      if (feature.$type === 'app.bsky.richtext.facet#tag') marked.tags.push(feature.tag!);
      else if (feature.$type === 'app.bsky.richtext.facet#mention' || covered.startsWith('@')) marked.mentions.push(covered);
      else marked.links.push(feature.uri!);
    }
  }
  return marked;
}

describe('one post text on every surface', () => {
  it('links the same hashtags, links and mentions on the public page, in ActivityPub HTML and in Bluesky facets', async () => {
    const publicHtml = toPostHtml(text, { hashtag: (tag) => `/@eu?tab=posts&tag=${encodeURIComponent(tag)}` }).value;

    const input: PostObjectInput = {
      post: {
        kind: 'note',
        text,
        title: null,
        summary: null,
        language: null,
        contentWarning: null,
        audience: 'public',
        publishedAt: new Date('2026-11-22T10:00:00Z'),
        createdAt: new Date('2026-11-22T10:00:00Z'),
        updatedAt: new Date('2026-11-22T10:00:00Z'),
      },
      id: new URL('https://hub.example/@eu/posts/p1'),
      actorId: new URL('https://hub.example/@eu'),
      followersId: new URL('https://hub.example/@eu/followers'),
      tagUrl: (tag) => `https://hub.example/tags/${encodeURIComponent(tag)}`,
      media: [],
      mentions: [{ acct: 'alice@example.social', href: 'https://example.social/users/alice' }],
    };
    const note = (await toNote(input).toJsonLd({ format: 'compact' })) as {
      content: string;
      tag: Array<{ type: string; href: string; name: string }>;
    };
    const mentionTags = note.tag.filter((tag) => tag.type === 'Mention');

    const record = toFeedPost({ text, createdAt: new Date(), mentionDids: new Map([['bob.bsky.social', 'did:plc:bob']]) });

    expect(markedInPublicHtml(publicHtml)).toEqual(expected);
    expect(markedInActivityPub(note.content, mentionTags)).toEqual(expected);
    expect(markedInBlueskyFacets(record.text as string, record.facets)).toEqual(expected);
    // Line breaks survive on each: as <br> in HTML, as the newline itself in the Bluesky text.
    expect(publicHtml).toContain('🎉<br>Read');
    expect(note.content).toContain('🎉<br>Read');
    expect(record.text).toBe(text);
  });
});
