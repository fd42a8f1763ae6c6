import sharp from 'sharp';
import { htmlProblems } from '../support/html-validity.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

async function expectValidHtml(markup: string): Promise<void> {
  expect(await htmlProblems(markup)).toEqual([]);
}

describe('public profile pages and feeds', () => {
  let hub: TestHerald;
  let admin: string;
  let editor: string;
  const ids: Record<string, string> = {};

  const publish = async (body: object) => {
    const response = await hub.http
      .post(`/api/profiles/${ids.profile}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ status: 'published', language: 'en', ...body })
      .expect(201);
    return response.body.id as string;
  };

  beforeAll(async () => {
    // Workers off: the pages show canonical published posts whatever the networks say.
    hub = await startTestHerald('web-pages', { HERALD_ROLE: 'web', PUBLIC_URL: 'https://social.example.eu' });
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'eu',
        domain: 'ec.social.example.eu',
        displayName: 'European Commission',
        bio: 'News and information from the European Commission.',
        organisationType: 'Governmental organisation',
        website: 'https://commission.europa.eu',
        managedBy: 'the European Union',
      })
      .expect(201);
    ids.profile = profile.body.id;
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const media = await hub.http
      .post(`/api/profiles/${ids.profile}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', image, 'chart.png')
      .expect(201);
    ids.note = await publish({
      kind: 'note',
      text: 'Say yes to health. #health\n\nMore at https://example.org/tobacco <script>alert(1)</script>',
    });
    ids.article = await publish({
      kind: 'article',
      title: 'Black Sea strategy',
      summary: 'A secure, prosperous region',
      text: 'The long text of the strategy.',
    });
    ids.media = await publish({
      kind: 'note',
      text: 'Emissions keep falling',
      attachments: [{ mediaId: media.body.id, altText: 'Bar chart of falling emissions' }],
    });
    await hub.http
      .post(`/api/profiles/${ids.profile}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Secret draft' })
      .expect(201);
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('renders the profile page with the handles and follow buttons of ready networks, counts, tabs and the about box', async () => {
    const response = await hub.http.get('/@eu').set('Accept', 'text/html').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers.vary).toMatch(/Accept/);
    const page = response.text;
    expect(page).toContain('<h1>European Commission</h1>');
    expect(page).toContain('@eu@social.example.eu');
    // No worker here, so the Bluesky account was never created: no Bluesky handle or follow button for it
    // (the page shows both once Bluesky is ready: test/atproto/network-status.e2e-spec.ts).
    expect(page).not.toContain('@ec.social.example.eu');
    expect(page).toMatch(/<strong>3<\/strong> posts/);
    expect(page).toMatch(/<strong>0<\/strong> followers <span class="detail">\(0 on the fediverse, 0 on Bluesky\)/);
    expect(page).toContain('Featured');
    expect(page).toContain('Posts and replies');
    expect(page).toContain('This instance managed by the European Union');
    expect(page).toContain('Governmental organisation');
    expect(page).toMatch(/interoperable profile: it participates natively in the fediverse \(ActivityPub\) and on Bluesky/);
    expect(page).not.toContain('bsky.app/profile');
    expect(page).toContain('Follow on the fediverse');
    expect(page).not.toContain('Secret draft');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<a href="https://example.org/tobacco" rel="nofollow noopener ugc">example.org/tobacco</a>');
    await expectValidHtml(page);
  });

  it('shows articles under Featured and posts with images, described, under Media', async () => {
    const featured = (await hub.http.get('/@eu?tab=featured').expect(200)).text;
    expect(featured).toContain('Black Sea strategy');
    expect(featured).not.toContain('Say yes to health');
    const media = (await hub.http.get('/@eu?tab=media').expect(200)).text;
    expect(media).toContain('alt="Bar chart of falling emissions"');
    expect(media).not.toContain('Black Sea strategy');
    await expectValidHtml(featured);
    await expectValidHtml(media);
  });

  // Replies, reposts and likes from real fediverse and Bluesky traffic: test/analytics/reports.e2e-spec.ts.
  it('shows no reaction counts on a post nobody reacted to', async () => {
    const page = (await hub.http.get(`/@eu/posts/${ids.note}`).expect(200)).text;
    expect(page).not.toContain('class="engagement"');
  });

  it('filters by hashtag', async () => {
    const tagged = (await hub.http.get('/@eu?tag=health').expect(200)).text;
    expect(tagged).toContain('Say yes to health');
    expect(tagged).not.toContain('Emissions keep falling');
  });

  it('gives a post page OpenGraph and Twitter tags, a canonical link and an ActivityPub alternate', async () => {
    const page = (await hub.http.get(`/@eu/posts/${ids.media}`).expect(200)).text;
    const url = `https://social.example.eu/@eu/posts/${ids.media}`;
    expect(page).toContain(`<link rel="canonical" href="${url}">`);
    expect(page).toContain(`<link rel="alternate" type="application/activity+json" href="${url}">`);
    expect(page).toContain(`<meta property="og:url" content="${url}">`);
    expect(page).toContain('<meta property="og:description" content="Emissions keep falling">');
    expect(page).toMatch(/<meta property="og:image" content="https:\/\/social\.example\.eu\/media\/[0-9a-f-]+">/);
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toContain('<html lang="en">');
    await expectValidHtml(page);
    const article = (await hub.http.get(`/@eu/posts/${ids.article}`).expect(200)).text;
    expect(article).toContain('<h1>Black Sea strategy</h1>');
    await expectValidHtml(article);
  });

  it('answers unknown profiles, posts and drafts with an HTML 404', async () => {
    const missing = await hub.http.get('/@nobody').expect(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    await hub.http.get('/@eu/posts/not-a-uuid').expect(404);
    await hub.http.get('/@eu/posts/00000000-0000-0000-0000-000000000000').expect(404);
  });

  it('publishes RSS and Atom feeds of published posts', async () => {
    const rss = await hub.http.get('/@eu/feed.rss').expect(200);
    expect(rss.headers['content-type']).toMatch(/application\/rss\+xml/);
    expect(rss.text).toContain(`<link>https://social.example.eu/@eu/posts/${ids.article}</link>`);
    expect(rss.text).toContain('Black Sea strategy');
    expect(rss.text).not.toContain('Secret draft');
    const atom = await hub.http.get('/@eu/feed.atom').expect(200);
    expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(atom.text).toContain(`<id>https://social.example.eu/@eu/posts/${ids.note}</id>`);
    expect(atom.text).toContain('&lt;script&gt;');
  });

  // The accepted path (a WebFinger lookup of the visitor's account) is in test/foundation/staff-security.e2e-spec.ts.
  it('refuses a remote-follow address that is not a full fediverse account', async () => {
    const hostOnly = await hub.http.get('/@eu/follow').query({ account: 'mastodon.social' }).expect(400);
    expect(hostOnly.body.message ?? hostOnly.text).toMatch(/full fediverse address/);
    await hub.http.get('/@eu/follow').query({ account: 'javascript:alert(1)' }).expect(400);
    // An empty box is the visitor's slip, not a fault: say what to enter, and lead back.
    const empty = await hub.http.get('/@eu/follow?account=').set('Accept', 'text/html').expect(400);
    expect(empty.text).toContain('<h1>Please check what you entered</h1>');
    expect(empty.text).not.toContain('Something went wrong');
  });

  it('sends the front page of a single-profile site to that profile', async () => {
    const response = await hub.http.get('/').expect(302);
    expect(response.headers.location).toBe('https://social.example.eu/@eu');
  });

  describe('with a second profile on the hub', () => {
    let climate: string;

    beforeAll(async () => {
      const profile = await hub.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'climate', domain: 'climate.social.example.eu', displayName: 'Climate Action' })
        .expect(201);
      climate = profile.body.id;
    });

    it('sends a hashtag link to the posts of the only profile that used the tag', async () => {
      const response = await hub.http.get('/tags/health').expect(302);
      expect(response.headers.location).toBe('https://social.example.eu/@eu?tab=posts&tag=health');
    });

    it("sends a hashtag link asked for on a profile's own domain to that profile", async () => {
      const response = await hub.http.get('/tags/health').set('Host', 'climate.social.example.eu').expect(302);
      expect(response.headers.location).toBe('https://social.example.eu/@climate?tab=posts&tag=health');
    });

    it('answers a hashtag no profile used with an HTML 404', async () => {
      await hub.http.get('/tags/nothing').expect(404);
    });

    it('lists the profiles that used a hashtag when several did', async () => {
      await hub.http
        .post(`/api/profiles/${climate}/posts`)
        .set('Authorization', `Bearer ${editor}`)
        .send({ status: 'published', kind: 'note', text: 'Clean air is #health' })
        .expect(201);
      const page = (await hub.http.get('/tags/health').expect(200)).text;
      expect(page).toContain('href="/@eu"');
      expect(page).toContain('href="/@climate"');
      await expectValidHtml(page);
    });
  });
});
