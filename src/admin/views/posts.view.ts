import type { StaffPrincipal } from '../../access/staff-principal.js';
import { hasRole } from '../../access/staff-principal.js';
import type { PostWithPublications } from '../../posts/posts.service.js';
import type { Publication } from '../../posts/publication.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html, type SafeHtml } from '../../common/html.js';
import type { NetworkStatus } from '../../publishing/network-status.rules.js';
import { consoleLayoutView } from './console-layout.view.js';
import { networkStatusPartial } from './network-status.partial.js';
import { NETWORK_NAMES } from './network-names.js';

const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  in_review: 'Waiting for approval',
  scheduled: 'Scheduled',
  published: 'Published',
  deleted: 'Deleted',
};
const time = (date: Date) => html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;

export function postsView(
  staff: StaffPrincipal,
  profile: Profile,
  posts: PostWithPublications[],
  options: { canPublish: boolean; created?: string; nextCursor: string | null; streamFrom: string; networks: NetworkStatus[] },
): string {
  const older = options.nextCursor
    ? html`<p><a href="/admin/profiles/${profile.id}/posts?cursor=${options.nextCursor}">Older posts</a></p>`
    : html``;
  return consoleLayoutView({
    title: 'Posts',
    staff,
    profile,
    section: 'posts',
    script: 'posts',
    data: { profileId: profile.id, streamFrom: options.streamFrom },
    body: html`${hasRole(staff, 'editor') ? html`<p><a class="button" href="/admin/profiles/${profile.id}/compose">New post</a></p>` : html``}
      ${networkStatusPartial(staff, profile.id, options.networks)}
      <p class="live" id="live-state">Live updates start when the page has loaded.</p>
      ${
        posts.length === 0
          ? html`<p>No posts yet.</p>`
          : html`<ul class="list" id="posts">
              ${posts.map((post) => postRowView(staff, profile, post, options.canPublish, post.id === options.created))}
            </ul>`
      }
      ${older}`,
  });
}

/** One post with its state on every network; also served alone so the page can refresh it. */
export function postRowView(
  staff: StaffPrincipal,
  profile: Profile,
  post: PostWithPublications,
  canPublish: boolean,
  highlight = false,
): SafeHtml {
  const canRetry = hasRole(staff, 'editor');
  const publicLink =
    post.status === 'published'
      ? html`<a href="/@${profile.handle}/posts/${post.id}">View public page</a> <a href="/admin/posts/${post.id}/delivery">Did it land?</a>`
      : html``;
  const images = post.attachments.length;
  return html`<li class="row${highlight ? ' highlight' : ''}" data-post-id="${post.id}">
    <p class="row-head">
      <span class="badge">${STATUS_LABELS[post.status] ?? post.status}</span
      ><span>${post.kind === 'article' ? 'Article' : 'Note'}</span
      >${time(post.publishedAt ?? post.scheduledAt ?? post.createdAt)}${publicLink}
    </p>
    ${post.kind === 'article' ? html`<h2>${post.title}</h2>` : html``}
    ${post.contentWarning ? html`<p class="content-warning">Content warning: ${post.contentWarning}</p>` : html``}
    <p class="row-text">${post.text}</p>
    ${images ? html`<p>${images} image${images > 1 ? 's' : ''}</p>` : html``}
    <ul class="publications" aria-label="Publication on each network">
      ${post.publications.map((publication) => publicationItem(publication, canRetry))}
    </ul>
    ${pendingEdit(staff, post)}
    <div class="actions">${actions(staff, post, canPublish)}</div>
  </li>`;
}

/** One network's state, as one line of markup: no stray whitespace between its parts. */
function publicationItem(publication: Publication, canRetry: boolean): SafeHtml {
  const network = NETWORK_NAMES[publication.protocol] ?? publication.protocol;
  const label = publication.state === 'pending' && publication.dueAt === null ? 'not yet released' : publication.state;
  const error = publication.lastError ? html` <span class="publication-error">${publication.lastError}</span>` : html``;
  const attempts = publication.attempts > 1 ? html` <span>(${publication.attempts} attempts)</span>` : html``;
  const head = html`<strong>${network}:</strong> <span class="badge state-${publication.state}">${label}</span>`;
  const retry =
    publication.state === 'failed' && canRetry
      ? html` <button type="button" class="secondary" data-action="retry" data-protocol="${publication.protocol}">Retry on ${network}</button>`
      : html``;
  return html`<li data-protocol="${publication.protocol}" data-state="${publication.state}">${head}${error}${attempts}${retry}</li>`;
}

/** An edit of the published post waiting for sign-off: what it would change to, and, for approvers, the decision. */
function pendingEdit(staff: StaffPrincipal, post: PostWithPublications): SafeHtml {
  const revision = post.pendingRevision;
  if (!revision) return html``;
  const { content } = revision;
  const images = content.attachments.length;
  const decide = hasRole(staff, 'approver')
    ? html`<div class="actions">
        <button type="button" data-action="approve-revision" data-revision-id="${revision.id}">Approve edit</button
        ><button type="button" class="secondary" data-action="reject-revision" data-revision-id="${revision.id}">Reject edit</button>
      </div>`
    : html`<p>The published post stays as it is until an approver approves this edit.</p>`;
  return html`<section class="pending-edit" data-revision-id="${revision.id}" aria-label="Edit awaiting approval">
    <p class="row-head"><span class="badge">Edit awaiting approval</span>${time(revision.createdAt)}</p>
    ${content.title ? html`<h3>${content.title}</h3>` : html``}
    ${content.contentWarning ? html`<p class="content-warning">Content warning: ${content.contentWarning}</p>` : html``}
    <p class="row-text">${content.text}</p>
    ${images ? html`<p>${images} image${images > 1 ? 's' : ''}</p>` : html``} ${decide}
  </section>`;
}

/** Only what this person may do here: the same rules as the API (PostsService.assertMayRelease). */
function actions(staff: StaffPrincipal, post: PostWithPublications, canPublish: boolean): SafeHtml[] {
  const buttons: SafeHtml[] = [];
  const button = (action: string, label: string, secondary = true) =>
    html`<button type="button" data-action="${action}" ${secondary ? html` class="secondary"` : html``}>${label}</button>`;
  if (post.status === 'draft' && hasRole(staff, 'editor')) buttons.push(button('submit', 'Submit for approval'));
  // A published post's edit goes out at once, or waits for an approver where the profile requires one.
  if (['draft', 'in_review', 'scheduled', 'published'].includes(post.status) && hasRole(staff, 'editor'))
    buttons.push(html`<a class="button secondary" href="/admin/posts/${post.id}/edit">Edit</a>`);
  // An answer to an inbox interaction went to one network and one audience: it starts no public thread.
  if (post.status === 'published' && post.replyToInteractionId === null && hasRole(staff, 'editor'))
    buttons.push(
      html`<a class="button secondary" href="/admin/profiles/${post.profileId}/compose?threadParent=${post.id}">Continue thread</a>`,
    );
  if (post.status === 'draft' && canPublish) buttons.push(button('publish', 'Publish now', false));
  if (post.status === 'in_review' && hasRole(staff, 'approver'))
    buttons.push(button('approve', 'Approve', false), button('reject', 'Send back'));
  if (post.status === 'scheduled' && hasRole(staff, 'editor', 'approver')) buttons.push(button('unschedule', 'Unschedule'));
  if (post.status !== 'deleted' && hasRole(staff, 'editor')) buttons.push(button('delete', 'Delete'));
  return buttons;
}
