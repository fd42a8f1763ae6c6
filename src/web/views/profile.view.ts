import { html, local } from '../../common/html.js';
import type { PublicTab } from '../public-posts.repository.js';
import type { ProfilePage } from '../public-profile.service.js';
import { layoutView } from './layout.view.js';
import { postCardView } from './post.partial.js';
import { aboutView, bannerView, profileHeaderView } from './profile-header.partial.js';

const TABS: Array<{ tab: PublicTab; label: string }> = [
  { tab: 'featured', label: 'Featured' },
  { tab: 'posts', label: 'Posts and replies' },
  { tab: 'media', label: 'Media' },
];

const EMPTY: Record<PublicTab, string> = {
  featured: 'No featured articles yet.',
  posts: 'No posts yet.',
  media: 'No posts with images yet.',
};

/** The public profile page (the mockup's European Commission example). */
export function profileView(page: ProfilePage): string {
  const { profile, urls } = page;
  const profileUrl = urls.profile(profile.handle);
  const current = TABS.find((entry) => entry.tab === page.tab)!;
  const path = local(profileUrl);
  const tabUrl = (tab: PublicTab) => (tab === 'posts' ? path : `${path}?tab=${tab}`);
  const heading = page.tag ? `Posts tagged #${page.tag}` : current.label;
  const older = page.olderCursor
    ? html`<p class="pager">
        <a href="${path}?tab=${page.tab}${page.tag ? `&tag=${encodeURIComponent(page.tag)}` : ''}&before=${page.olderCursor}" rel="next"
          >Older posts</a
        >
      </p>`
    : html``;
  const posts =
    page.posts.length === 0
      ? html`<p class="empty">${page.tag ? `No posts tagged #${page.tag}.` : EMPTY[page.tab]}</p>`
      : page.posts.map((post) => postCardView(post, page));
  const description = profile.bio || `${profile.displayName} on the fediverse and Bluesky`;
  return layoutView({
    title: `${profile.displayName} (${page.fediverseHandle})`,
    head: html`<meta name="description" content="${description}">
      <link rel="canonical" href="${profileUrl}">
      <link rel="alternate" type="application/activity+json" href="${profileUrl}">
      <link rel="alternate" type="application/rss+xml" title="${profile.displayName} (RSS)" href="${urls.rss(profile.handle)}">
      <link rel="alternate" type="application/atom+xml" title="${profile.displayName} (Atom)" href="${urls.atom(profile.handle)}">
      <meta property="og:type" content="profile">
      <meta property="og:title" content="${profile.displayName}">
      <meta property="og:description" content="${description}">
      <meta property="og:url" content="${profileUrl}">
      ${profile.avatarMediaId ? html`<meta property="og:image" content="${urls.media(profile.avatarMediaId)}">` : html``}`,
    body: html`<div class="site">
      <header>${bannerView(page)}</header>
      <div class="layout">
        <main id="main">
          ${profileHeaderView(page)}
          <nav aria-label="Profile sections">
            <ul class="tabs">
              ${TABS.map((entry) => {
                const selected = entry.tab === page.tab && !page.tag ? html` aria-current="page"` : html``;
                return html`<li><a href="${tabUrl(entry.tab)}"${selected}>${entry.label}</a></li>`;
              })}
            </ul>
          </nav>
          <section aria-labelledby="posts-heading">
            <h2 id="posts-heading" class="visually-hidden">${heading}</h2>
            ${posts}
            ${older}
          </section>
        </main>
        ${aboutView(page)}
      </div>
      <footer><p>Published with Herald: one profile, natively on the fediverse and Bluesky.</p></footer>
    </div>`,
  });
}
