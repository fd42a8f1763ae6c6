import { Feed } from 'feed';
import { escapeHtml } from '../common/html.js';
import type { Post } from '../posts/post.entity.js';
import { excerpt } from '../posts/post-text.js';
import { toPostHtml } from './post-html.js';
import type { PublicProfile } from './public-profile.service.js';

/**
 * A profile's newest posts as an RSS/Atom feed; entries link to the posts' public pages.
 * Entry fields are HTML-escaped: the feed marks entry titles and summaries as HTML, and
 * escaping also keeps "]]>" out of the CDATA sections the library writes. The channel's
 * fields are plain XML text, which the library escapes itself (escaping them here too
 * showed `Europe&amp;#39;s` to readers).
 */
export function toFeed(identity: PublicProfile, posts: Post[]): Feed {
  const { profile, urls } = identity;
  const profileUrl = urls.profile(profile.handle);
  const links = { hashtag: (tag: string) => `${profileUrl}?tab=posts&tag=${encodeURIComponent(tag)}` };
  const feed = new Feed({
    title: profile.displayName,
    description: profile.bio || `${profile.displayName} on the fediverse and Bluesky`,
    id: profileUrl,
    link: profileUrl,
    language: posts.find((post) => post.language)?.language ?? undefined,
    image: profile.avatarMediaId ? urls.media(profile.avatarMediaId) : undefined,
    updated: posts[0]?.publishedAt ?? profile.updatedAt,
    generator: 'Herald',
    copyright: profile.managedBy ? `Published by ${profile.managedBy}` : profile.displayName,
    feedLinks: { rss: urls.rss(profile.handle), atom: urls.atom(profile.handle) },
    author: { name: profile.displayName, link: profileUrl },
  });
  for (const post of posts) {
    const url = urls.post(profile.handle, post.id);
    const images = post.attachments
      .map((attachment) => `<p><img src="${urls.media(attachment.mediaId)}" alt="${escapeHtml(attachment.altText)}"></p>`)
      .join('');
    feed.addItem({
      title: escapeHtml(
        post.kind === 'article'
          ? (post.title ?? '')
          : excerpt(post.contentWarning ? `Content warning: ${post.contentWarning}` : post.text, 80),
      ),
      id: url,
      link: url,
      date: post.publishedAt ?? post.createdAt,
      description: post.kind === 'article' ? escapeHtml(post.summary ?? excerpt(post.text, 300)) : undefined,
      content:
        (post.contentWarning ? `<p><strong>Content warning: ${escapeHtml(post.contentWarning)}</strong></p>` : '') +
        toPostHtml(post.text, links).value +
        images,
    });
  }
  return feed;
}
