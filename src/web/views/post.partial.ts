import type { Media } from '../../media/media.entity.js';
import type { Post } from '../../posts/post.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type { PublicUrls } from '../../common/public-urls.js';
import { html, local, type SafeHtml } from '../../common/html.js';
import { toPostHtml } from '../post-html.js';
import type { Engagement } from '../public-posts.repository.js';
import { formatCount, formatDate, plural } from './format.js';

export interface PostContext {
  profile: Profile;
  urls: PublicUrls;
  fediverseHandle: string;
  media: Map<string, Media>;
  engagement: Map<string, Engagement>;
}

/** Replies, reposts and likes across both networks, once metrics have been collected. */
export function engagementView(post: Post, context: PostContext): SafeHtml {
  const counts = context.engagement.get(post.id);
  if (!counts) return html``;
  const item = (count: number, one: string, many: string) =>
    html`<li><strong>${formatCount(count)}</strong> ${plural(count, one, many)}</li>`;
  return html`<ul class="engagement" aria-label="Reactions on the fediverse and Bluesky">
    ${item(counts.replies, 'reply', 'replies')}${item(counts.reposts, 'repost', 'reposts')}${item(counts.likes, 'like', 'likes')}
  </ul>`;
}

/** Images with their alt text; the alt text is also offered as a caption-free description. */
export function attachmentsView(post: Post, context: PostContext): SafeHtml {
  if (post.attachments.length === 0) return html``;
  return html`<div class="media">
    ${post.attachments.map((attachment) => {
      const media = context.media.get(attachment.mediaId);
      return html`<figure>
        <img
          src="${local(context.urls.media(attachment.mediaId))}"
          alt="${attachment.altText}"
          loading="lazy"${media ? html` width="${media.width}" height="${media.height}"` : html``}>
      </figure>`;
    })}
  </div>`;
}

export function postBodyView(post: Post, context: PostContext): SafeHtml {
  const links = {
    hashtag: (tag: string) => `${local(context.urls.profile(context.profile.handle))}?tab=posts&tag=${encodeURIComponent(tag)}`,
  };
  const body = html`<div class="post-body">${toPostHtml(post.text, links)}</div>
    ${attachmentsView(post, context)}`;
  return post.contentWarning
    ? html`<details class="cw">
        <summary>${post.contentWarning}</summary>
        ${body}
      </details>`
    : body;
}

/** One post in a list: notes in full, articles as title, summary and a link. */
export function postCardView(post: Post, context: PostContext, headingLevel: 2 | 3 = 3): SafeHtml {
  const url = local(context.urls.post(context.profile.handle, post.id));
  const when = post.publishedAt ?? post.createdAt;
  const meta = html`<p class="post-meta">
    <span class="name">${context.profile.displayName}</span><span>${context.fediverseHandle}</span
    ><a href="${url}"><time datetime="${when.toISOString()}">${formatDate(when)}</time></a>
  </p>`;
  const thread = post.threadParentId
    ? html`<p class="thread-note">
        <a href="${local(context.urls.post(context.profile.handle, post.threadParentId))}">Continues a thread</a>
      </p>`
    : html``;
  const lang = post.language ? html` lang="${post.language}"` : html``;
  if (post.kind === 'article') {
    const heading =
      headingLevel === 2 ? html`<h2><a href="${url}">${post.title}</a></h2>` : html`<h3><a href="${url}">${post.title}</a></h3>`;
    return html`<article class="post"${lang}>
      ${meta}${heading}${post.summary ? html`<p class="article-summary">${post.summary}</p>` : html``}${attachmentsView(post, context)}
      <p>
        <a href="${url}">Read the article<span class="visually-hidden">: ${post.title}</span></a>
      </p>
      ${engagementView(post, context)}
    </article>`;
  }
  return html`<article class="post"${lang}>${meta}${thread}${postBodyView(post, context)}${engagementView(post, context)}</article>`;
}
