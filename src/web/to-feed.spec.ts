import { PublicUrls } from '../common/public-urls.js';
import type { Post } from '../posts/post.entity.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { PublicProfile } from './public-profile.service.js';
import { toFeed } from './to-feed.js';

const profile = {
  id: 'p1',
  handle: 'eu',
  domain: 'ec.example.eu',
  displayName: 'European Commission',
  bio: 'News & information',
  avatarMediaId: null,
  managedBy: 'the European Union',
  updatedAt: new Date('2026-01-01T00:00:00Z'),
} as Profile;
const identity: PublicProfile = {
  profile,
  urls: new PublicUrls('https://social.example.eu'),
  fediverseHandle: '@eu@social.example.eu',
  blueskyHandle: '@ec.example.eu',
  networks: ['activitypub', 'atproto'],
  counts: { posts: 2, followers: { activitypub: 0, atproto: 0, total: 0 } },
};
const post = (values: Partial<Post>): Post =>
  ({
    id: '11111111-1111-4111-8111-111111111111',
    kind: 'note',
    text: '',
    title: null,
    summary: null,
    language: 'en',
    contentWarning: null,
    attachments: [],
    publishedAt: new Date('2026-11-22T10:00:00Z'),
    createdAt: new Date('2026-11-22T09:00:00Z'),
    ...values,
  }) as Post;

describe('toFeed', () => {
  const feed = toFeed(identity, [
    post({
      kind: 'article',
      title: 'Black Sea strategy',
      summary: 'A secure region',
      text: 'Long text',
      id: '22222222-2222-4222-8222-222222222222',
    }),
    post({
      text: 'Say yes to health <b>now</b> #health',
      attachments: [{ mediaId: '33333333-3333-4333-8333-333333333333', altText: 'A "chart"' }],
    }),
  ]);

  it('escapes titles, which Atom declares as HTML, and keeps "]]>" out of CDATA', () => {
    const hostile = toFeed(identity, [post({ text: 'Hi <b>there</b> ]]> <x>' })]);
    expect(hostile.atom1()).toContain('<title type="html"><![CDATA[Hi &lt;b&gt;there&lt;/b&gt; ]]&gt; &lt;x&gt;]]></title>');
    expect(hostile.rss2()).not.toContain(']]> <x>');
  });

  it("escapes the channel's title and description once, as XML text", () => {
    const named = toFeed(
      { ...identity, profile: { ...profile, displayName: "Europe's Commission & <Partners>", bio: "Europe's news" } },
      [],
    );
    for (const xml of [named.rss2(), named.atom1()]) {
      expect(xml).toContain("<title>Europe's Commission &amp; &lt;Partners&gt;</title>");
      expect(xml).toContain("Europe's news</");
      expect(xml).not.toContain('&amp;#39;');
      expect(xml).not.toContain('&amp;amp;');
    }
  });

  it('links every entry to its public post page', () => {
    const rss = feed.rss2();
    expect(rss).toContain('<link>https://social.example.eu/@eu/posts/22222222-2222-4222-8222-222222222222</link>');
    expect(rss).toContain('<title><![CDATA[Black Sea strategy]]></title>');
    expect(rss).toContain('<atom:link href="https://social.example.eu/@eu/feed.rss" rel="self" type="application/rss+xml"/>');
  });

  it('carries the escaped, linked post text and described images as HTML content', () => {
    const atom = feed.atom1();
    expect(atom).toContain('<id>https://social.example.eu/@eu/posts/11111111-1111-4111-8111-111111111111</id>');
    expect(atom).toContain(
      '<content type="html"><![CDATA[<p>Say yes to health &lt;b&gt;now&lt;/b&gt; <a href="https://social.example.eu/@eu?tab=posts&amp;tag=health" rel="tag">#health</a></p>',
    );
    expect(atom).toContain('alt="A &quot;chart&quot;"');
    expect(atom).toContain('<updated>2026-11-22T10:00:00.000Z</updated>');
  });
});
