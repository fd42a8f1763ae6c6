import { html, local } from '../../common/html.js';
import { excerpt } from '../../posts/post-text.js';
import type { PostPage } from '../public-profile.service.js';
import { formatDate } from './format.js';
import { layoutView } from './layout.view.js';
import { attachmentsView, engagementView, postBodyView, postCardView } from './post.partial.js';
import { aboutView } from './profile-header.partial.js';

/** One note or article at its public URL, with OpenGraph and Twitter cards for link previews. */
export function postView(page: PostPage): string {
  const { profile, urls, post } = page;
  const url = urls.post(profile.handle, post.id);
  const profileUrl = urls.profile(profile.handle);
  const when = post.publishedAt ?? post.createdAt;
  const title = post.kind === 'article' ? (post.title ?? '') : `${profile.displayName}: ${post.contentWarning ?? post.text}`;
  const description = post.contentWarning
    ? `Content warning: ${post.contentWarning}`
    : excerpt(post.kind === 'article' ? post.summary || post.text : post.text, 200);
  const image = post.attachments[0];
  const imageUrl = image ? urls.media(image.mediaId) : profile.avatarMediaId ? urls.media(profile.avatarMediaId) : null;
  const thread = post.threadParentId
    ? html`<p class="thread-note"><a href="${local(urls.post(profile.handle, post.threadParentId))}">Continues a thread</a></p>`
    : html``;
  const body =
    post.kind === 'article'
      ? html`${postBodyView({ ...post, attachments: [] }, page)}${attachmentsView(post, page)}`
      : postBodyView(post, page);
  const heading =
    post.kind === 'article'
      ? html`<h1>${post.title}</h1>
          ${post.summary ? html`<p class="article-summary">${post.summary}</p>` : html``}`
      : html`<h1 class="visually-hidden">Post by ${profile.displayName}</h1>`;
  return layoutView({
    // Search engines cut titles at about 70 characters; link previews show more.
    title: excerpt(title, 70),
    lang: post.language,
    head: html`<meta name="description" content="${description}">
      <link rel="canonical" href="${url}">
      <link rel="alternate" type="application/activity+json" href="${url}">
      <link rel="alternate" type="application/rss+xml" title="${profile.displayName} (RSS)" href="${urls.rss(profile.handle)}">
      <meta property="og:type" content="article">
      <meta property="og:site_name" content="${profile.displayName}">
      <meta property="og:title" content="${excerpt(title, 200)}">
      <meta property="og:description" content="${description}">
      <meta property="og:url" content="${url}">
      ${imageUrl ? html`<meta property="og:image" content="${imageUrl}">` : html``}
      ${image ? html`<meta property="og:image:alt" content="${image.altText}">` : html``}
      <meta property="article:published_time" content="${when.toISOString()}">
      <meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
      <meta name="twitter:title" content="${excerpt(title, 200)}">
      <meta name="twitter:description" content="${description}">
      ${imageUrl ? html`<meta name="twitter:image" content="${imageUrl}">` : html``}`,
    body: html`<div class="site">
      <header>
        <p><a href="${local(profileUrl)}">← ${profile.displayName}</a> <span class="handles">${page.fediverseHandle}</span></p>
      </header>
      <div class="layout">
        <main id="main">
          <article class="post">
            ${heading}
            <p class="post-meta">
              <span class="name">${profile.displayName}</span><span>${page.fediverseHandle}</span
              ><time datetime="${when.toISOString()}">${formatDate(when)}</time>
            </p>
            ${thread}
            ${body}
            ${engagementView(post, page)}
          </article>
          ${
            page.continuations.length > 0
              ? html`<section aria-labelledby="thread-heading">
                  <h2 id="thread-heading">Continued thread</h2>
                  ${page.continuations.map((next) => postCardView(next, page))}
                </section>`
              : html``
          }
        </main>
        ${aboutView(page)}
      </div>
    </div>`,
  });
}
