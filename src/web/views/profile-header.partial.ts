import { html, local, type SafeHtml } from '../../common/html.js';
import { toPostHtml } from '../post-html.js';
import type { PublicProfile } from '../public-profile.service.js';
import { formatCount, formatDate, plural } from './format.js';

export function bannerView({ profile, urls }: PublicProfile): SafeHtml {
  return html`<div class="banner">
    ${profile.bannerMediaId ? html`<img src="${local(urls.media(profile.bannerMediaId))}" alt="">` : html``}
  </div>`;
}

/** Name, handles on both networks, bio, counts and the follow box. */
export function profileHeaderView(identity: PublicProfile): SafeHtml {
  const { profile, urls, counts } = identity;
  const avatar = profile.avatarMediaId
    ? html`<img class="avatar" src="${local(urls.media(profile.avatarMediaId))}" alt="" width="112" height="112">`
    : html`<span class="avatar avatar-initial" aria-hidden="true">${profile.displayName.slice(0, 1).toUpperCase()}</span>`;
  const tagUrl = (tag: string) => `${local(urls.profile(profile.handle))}?tab=posts&tag=${encodeURIComponent(tag)}`;
  const bio = profile.bio ? html`<div class="bio">${toPostHtml(profile.bio, { hashtag: tagUrl })}</div>` : html``;
  // Only networks that are ready: no handle or follow button for an account that does not work (yet).
  const fediverseHandle = identity.networks.includes('activitypub')
    ? html`<span><span class="visually-hidden">Fediverse: </span>${identity.fediverseHandle}</span>`
    : html``;
  const blueskyHandle = identity.networks.includes('atproto')
    ? html`<span><span class="visually-hidden">Bluesky: </span>${identity.blueskyHandle}</span>`
    : html``;
  const followers = counts.followers;
  const followerCount = html`<strong>${formatCount(followers.total)}</strong> ${plural(followers.total, 'follower', 'followers')}`;
  const perNetwork = `${formatCount(followers.activitypub)} on the fediverse, ${formatCount(followers.atproto)} on Bluesky`;
  return html`<div class="profile-head">
      ${avatar}
      <div>
        <h1>${profile.displayName}</h1>
        <p class="handles">${fediverseHandle}${blueskyHandle}</p>
      </div>
    </div>
    ${bio}
    <ul class="counts">
      <li><strong>${formatCount(counts.posts)}</strong> ${plural(counts.posts, 'post', 'posts')}</li>
      <li>${followerCount} <span class="detail">(${perNetwork})</span></li>
    </ul>
    ${followView(identity)}`;
}

function followView(identity: PublicProfile): SafeHtml {
  const { profile, urls } = identity;
  const fediverse = identity.networks.includes('activitypub');
  const bluesky = identity.networks.includes('atproto');
  if (!fediverse && !bluesky) return html``;
  const blueskyFollow = html`<p class="bluesky">
    <a class="button secondary" href="https://bsky.app/profile/${profile.domain}">Follow on Bluesky</a>
  </p>`;
  return html`<section class="follow" aria-labelledby="follow-heading">
    <h2 id="follow-heading">Follow ${profile.displayName}</h2>
    ${
      fediverse
        ? html`<form method="get" action="${local(urls.profile(profile.handle))}/follow">
            <label>Your fediverse address<input
                name="account" type="text" inputmode="email" autocomplete="off" placeholder="@you@mastodon.social" required></label>
            <button class="button" type="submit">Follow on the fediverse</button>
          </form>`
        : html``
    }
    ${bluesky ? blueskyFollow : html``}
  </section>`;
}

/** The "about" box of the mockup. */
export function aboutView(identity: PublicProfile): SafeHtml {
  const { profile, urls } = identity;
  const website = profile.website ? safeWebsite(profile.website) : null;
  return html`<aside class="about" aria-labelledby="about-heading">
    <h2 id="about-heading">About</h2>
    <p class="idsp">
      ${profile.domain} is an interoperable profile: it participates natively in the fediverse (ActivityPub) and on Bluesky (AT Protocol).
    </p>
    <dl>
      <dt>Joined</dt>
      <dd><time datetime="${profile.createdAt.toISOString()}">${formatDate(profile.createdAt)}</time></dd>
      ${
        profile.organisationType
          ? html`<dt>Organisation type</dt>
              <dd>${profile.organisationType}</dd>`
          : html``
      }
      ${
        website
          ? html`<dt>Website</dt>
              <dd><a href="${website}" rel="me noopener">${website.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a></dd>`
          : html``
      }
      ${profile.fields.map(
        (field) =>
          html`<dt>${field.name}</dt>
            <dd>${field.value}</dd>`,
      )}
      ${
        profile.managedBy
          ? html`<dt>Managed by</dt>
              <dd>This instance managed by ${profile.managedBy}</dd>`
          : html``
      }
    </dl>
    <h3>Feeds</h3>
    <ul class="feeds">
      <li><a href="${local(urls.rss(profile.handle))}">RSS</a></li>
      <li><a href="${local(urls.atom(profile.handle))}">Atom</a></li>
    </ul>
  </aside>`;
}

/** Only http(s) links become anchors, so a stored `javascript:` URL cannot run. */
function safeWebsite(value: string): string | null {
  const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
