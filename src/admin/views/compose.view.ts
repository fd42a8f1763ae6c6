import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Post } from '../../posts/post.entity.js';
import type { RevisionContent } from '../../posts/post-revision.entity.js';
import { NOTE_TEXT_LIMIT, ARTICLE_TEXT_LIMIT } from '../../posts/post-limits.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html, type SafeHtml } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

export interface ComposeOptions {
  canPublish: boolean;
  /** Just after the first-run setup. */
  welcome?: boolean;
  /** The post being edited: a draft, one waiting for approval, a scheduled or a published one. */
  post?: Post;
  /** A published post's edit waiting for approval: the composer starts from it, and saving replaces it. */
  pendingEdit?: RevisionContent;
  /** The post a new post continues (a thread). */
  threadParent?: Post;
}

const EXCERPT = 140;
const excerpt = (text: string) => ([...text].length > EXCERPT ? `${[...text].slice(0, EXCERPT).join('')}…` : text);

/** The composer: the form on one side, each network's live preview on the other. Also edits a post. */
export function composeView(
  staff: StaffPrincipal,
  profile: Profile,
  { canPublish, welcome, post, pendingEdit, threadParent }: ComposeOptions,
): string {
  const kind = post?.kind ?? 'note';
  const published = post?.status === 'published';
  // What the fields start with: a pending edit of a published post, else the post itself.
  const content = pendingEdit ?? post;
  const kindRadio = (value: 'note' | 'article', label: string) =>
    html`<label
      ><input type="radio" name="kind" value="${value}" ${kind === value ? html`checked` : html``} ${post ? html`disabled` : html``}>
      ${label}</label
    >`;
  return consoleLayoutView({
    title: published ? 'Edit published post' : post ? 'Edit post' : threadParent ? 'Continue thread' : 'Compose',
    staff,
    profile,
    section: 'compose',
    script: 'compose',
    data: {
      profileId: profile.id,
      networks: NETWORK_NAMES,
      limits: { note: NOTE_TEXT_LIMIT, article: ARTICLE_TEXT_LIMIT },
      post: post
        ? { id: post.id, status: post.status, attachments: content!.attachments, scheduledAt: post.scheduledAt?.toISOString() ?? null }
        : null,
      threadParent: threadParent ? { id: threadParent.id, excerpt: excerpt(threadParent.title ?? threadParent.text) } : null,
    },
    body: html`${
      welcome
        ? html`<p class="notice">Profile @${profile.handle} is set up. Write its first post; the preview shows how each network will show it.</p>`
        : html``
    }
      ${post?.status === 'scheduled' ? html`<p class="notice">Scheduled: change the time below to reschedule it.</p>` : html``}
      ${published ? publishedNotice(canPublish, Boolean(pendingEdit)) : html``}
      ${
        threadParent
          ? html`<p class="notice" id="thread-parent">
              Continues the thread of
              <a href="/@${profile.handle}/posts/${threadParent.id}">${excerpt(threadParent.title ?? threadParent.text)}</a>: it goes out
              as the next post of that thread on every network.
            </p>`
          : html``
      }
      <div class="compose">
        <form id="compose">
          <fieldset>
            <legend>Kind</legend>
            <div class="inline">${kindRadio('note', 'Note')} ${kindRadio('article', 'Article')}</div>
          </fieldset>
          <fieldset id="article-fields">
            <legend>Article</legend>
            <div class="field">
              <label for="title">Title</label><input id="title" name="title" type="text" maxlength="300" value="${content?.title ?? ''}">
            </div>
            <div class="field">
              <label for="summary">Summary</label><input id="summary" name="summary" type="text" maxlength="1000" value="${content?.summary ?? ''}">
            </div>
          </fieldset>
          <div class="field">
            <label for="text">Text</label><textarea id="text" name="text" required aria-describedby="text-count">${content?.text ?? ''}</textarea>
            <span id="text-count" class="count"></span>
          </div>
          <div class="inline">
            <div class="field">
              <label for="contentWarning">Content warning (optional)</label
              ><input id="contentWarning" name="contentWarning" type="text" maxlength="500" value="${content?.contentWarning ?? ''}">
            </div>
            <div class="field">
              <label for="language">Language</label
              ><input id="language" name="language" type="text" value="${content ? (content.language ?? '') : 'en'}" size="6" maxlength="20">
            </div>
          </div>
          <fieldset>
            <legend>Images</legend>
            <div class="upload">
              <div class="field">
                <label for="media-file">Image</label><input id="media-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif">
              </div>
              <div class="field">
                <label for="media-alt">Alt text (describe the image)</label><input id="media-alt" type="text" maxlength="1500">
              </div>
              <button type="button" id="upload" class="secondary">Upload and attach</button>
            </div>
            <ul id="attachments" class="attachments" aria-label="Attached images"></ul>
          </fieldset>
          ${
            published
              ? html``
              : html`<div class="field">
            <label for="scheduledAt"
              >${post?.status === 'scheduled' ? 'Publish at' : 'Publish at (optional; leave empty to publish now)'}</label
            ><input id="scheduledAt" name="scheduledAt" type="datetime-local" ${post?.status === 'scheduled' ? html`required` : html``}>
          </div>`
          }
          <div class="actions">${buttons(post, canPublish)}</div>
          ${
            profile.requiresApproval && !published
              ? html`<p>This profile requires approval: an approver publishes what you submit.</p>`
              : html``
          }
        </form>
        <section class="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview on each network</h2>
          <div id="preview-networks" aria-live="polite"><p>The preview appears as you type.</p></div>
        </section>
      </div>`,
  });
}

/** What saving does to a published post, said before anyone saves. */
function publishedNotice(canPublish: boolean, pending: boolean): SafeHtml {
  const replaces = pending ? html` An edit is already awaiting approval: the form shows it, and submitting replaces it.` : html``;
  return canPublish
    ? html`<p class="notice">
        Published: saving sends the change to every network as an edit (an Update on the fediverse, an edited post on
        Bluesky).${pending ? html` It replaces the edit awaiting approval, which the form shows.` : html``}
      </p>`
    : html`<p class="notice">
        Published, on a profile that requires approval: your edit goes to an approver, and the published post stays as it is
        until they approve it.${replaces}
      </p>`;
}

function buttons(post: Post | undefined, canPublish: boolean): SafeHtml {
  const submit = (action: string, label: string, secondary = true) =>
    html`<button type="submit" name="action" value="${action}" ${secondary ? html`class="secondary"` : html``}>${label}</button>`;
  if (post?.status === 'published')
    return canPublish ? submit('save', 'Save and send the edit', false) : submit('save', 'Submit edit for approval', false);
  if (post && post.status !== 'draft') return submit('save', 'Save changes', false);
  return html`${submit(post ? 'save' : 'draft', 'Save draft')} ${submit('in_review', 'Submit for approval')}
  ${canPublish ? submit('published', 'Publish', false) : html``}`;
}
