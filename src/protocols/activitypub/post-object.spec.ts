import { renderPostHtml } from './post-html.js';
import { toArticle, toNote, type PostObjectInput } from './post-object.js';

const tagUrl = (tag: string) => `https://hub.example/tags/${encodeURIComponent(tag)}`;
const base: PostObjectInput = {
  post: {
    kind: 'note',
    text: 'Say yes to #health with @ana@social.example!\n\nMore: https://ec.europa.eu/health.',
    title: null,
    summary: null,
    language: 'en',
    contentWarning: null,
    audience: 'public',
    publishedAt: new Date('2026-11-22T10:00:00Z'),
    createdAt: new Date('2026-11-22T09:00:00Z'),
    updatedAt: new Date('2026-11-22T10:00:00Z'),
  },
  id: new URL('https://hub.example/@eu/posts/p1'),
  actorId: new URL('https://hub.example/@eu'),
  followersId: new URL('https://hub.example/@eu/followers'),
  tagUrl,
  media: [{ url: 'https://hub.example/media/m1', mimeType: 'image/png', altText: 'A chart', width: 10, height: 20 }],
  mentions: [{ acct: 'ana@social.example', href: 'https://social.example/users/ana' }],
};

describe('renderPostHtml', () => {
  it('renders paragraphs, links, hashtags and resolved mentions as Mastodon expects', () => {
    const rendered = renderPostHtml(base.post.text, tagUrl, base.mentions);
    expect(rendered.html).toBe(
      '<p>Say yes to <a href="https://hub.example/tags/health" class="mention hashtag" rel="tag">#<span>health</span></a> with ' +
        '<span class="h-card"><a href="https://social.example/users/ana" class="u-url mention">@<span>ana</span></a></span>!</p>' +
        '<p>More: <a href="https://ec.europa.eu/health" rel="nofollow noopener noreferrer" target="_blank">https://ec.europa.eu/health</a>.</p>',
    );
    expect(rendered.hashtags).toEqual(['health']);
  });

  it('escapes HTML and leaves unresolved mentions as text', () => {
    expect(renderPostHtml('<b>hi</b> @bob@nowhere.example\nline', tagUrl, []).html).toBe(
      '<p>&lt;b&gt;hi&lt;/b&gt; @bob@nowhere.example<br>line</p>',
    );
  });

  it('links a Bluesky handle to its profile and leaves an all-digit tag as text', () => {
    const rendered = renderPostHtml('#2024 with @bob.bsky.social', tagUrl, []);
    expect(rendered.html).toBe(
      '<p>#2024 with <a href="https://bsky.app/profile/bob.bsky.social" rel="nofollow noopener noreferrer" target="_blank">' +
        '@bob.bsky.social</a></p>',
    );
    expect(rendered.hashtags).toEqual([]);
  });
});

describe('toNote / toArticle', () => {
  it('maps a note with tags, attachment alt text, contentMap and audience', async () => {
    const json = (await toNote(base).toJsonLd({ format: 'compact' })) as Record<string, unknown>;
    expect(json).toMatchObject({
      id: 'https://hub.example/@eu/posts/p1',
      type: 'Note',
      attributedTo: 'https://hub.example/@eu',
      to: 'as:Public',
      cc: ['https://hub.example/@eu/followers', 'https://social.example/users/ana'],
      contentMap: { en: expect.stringContaining('#<span>health</span>') },
      published: '2026-11-22T10:00:00Z',
      url: 'https://hub.example/@eu/posts/p1',
      attachment: { type: 'Document', mediaType: 'image/png', url: 'https://hub.example/media/m1', name: 'A chart' },
      tag: [
        { type: 'Hashtag', href: 'https://hub.example/tags/health', name: '#health' },
        { type: 'Mention', href: 'https://social.example/users/ana', name: '@ana@social.example' },
      ],
    });
    expect(json.sensitive).toBe(false);
    // The whole wire format, so a change in what goes out shows in review.
    expect(json).toMatchSnapshot();
  });

  it('turns a content warning into summary + sensitive, and a reply into inReplyTo', async () => {
    const note = toNote({
      ...base,
      post: { ...base.post, contentWarning: 'Medical' },
      inReplyTo: new URL('https://social.example/notes/9'),
    });
    const json = (await note.toJsonLd({ format: 'compact' })) as Record<string, unknown>;
    expect(json).toMatchObject({ summary: 'Medical', sensitive: true, inReplyTo: 'https://social.example/notes/9' });
  });

  it('maps an article with name and url, its teaser leading the content and no summary a server would read as a content warning', async () => {
    const article = toArticle({
      ...base,
      post: { ...base.post, kind: 'article', title: 'Black Sea strategy', summary: 'What we propose & why' },
    });
    const json = (await article.toJsonLd({ format: 'compact' })) as Record<string, unknown>;
    expect(json).toMatchObject({ type: 'Article', name: 'Black Sea strategy', sensitive: false, url: 'https://hub.example/@eu/posts/p1' });
    expect(json.summary).toBeUndefined();
    expect(json.content).toMatch(/^<p><strong>What we propose &amp; why<\/strong><\/p><p>Say yes/);
  });

  it('keeps an article content warning as summary + sensitive', async () => {
    const article = toArticle({
      ...base,
      post: { ...base.post, kind: 'article', title: 'Report', summary: 'Teaser', contentWarning: 'Violence' },
    });
    const json = (await article.toJsonLd({ format: 'compact' })) as Record<string, unknown>;
    expect(json).toMatchObject({ summary: 'Violence', sensitive: true });
  });

  describe('addressing by audience', () => {
    const ana = 'https://social.example/users/ana';
    const bo = 'https://other.example/users/bo';
    const answer = {
      ...base,
      mentions: [
        { acct: 'ana@social.example', href: ana },
        { acct: 'bo@other.example', href: bo },
      ],
      answeredAuthor: new URL(ana),
    };
    const addressed = async (audience: 'public' | 'unlisted' | 'followers' | 'direct') => {
      const json = (await toNote({ ...answer, post: { ...answer.post, audience } }).toJsonLd({ format: 'compact' })) as Record<
        string,
        unknown
      >;
      return { to: [json.to ?? []].flat(), cc: [json.cc ?? []].flat() };
    };

    it('addresses a public post to Public, with followers and mentions in cc', async () => {
      expect(await addressed('public')).toEqual({ to: ['as:Public'], cc: ['https://hub.example/@eu/followers', ana, bo] });
    });

    it('addresses an unlisted answer to the followers, with Public in cc', async () => {
      expect(await addressed('unlisted')).toEqual({ to: ['https://hub.example/@eu/followers'], cc: ['as:Public', ana, bo] });
    });

    it('addresses a followers-only answer to the people it names only', async () => {
      expect(await addressed('followers')).toEqual({ to: [ana, bo], cc: [] });
    });

    it('addresses a direct answer to the answered author only', async () => {
      expect(await addressed('direct')).toEqual({ to: [ana], cc: [] });
    });
  });
});
