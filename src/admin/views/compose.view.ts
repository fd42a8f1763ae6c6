import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Post } from '../../posts/post.entity.js';
import { NOTE_TEXT_LIMIT, ARTICLE_TEXT_LIMIT } from '../../posts/post-limits.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html, type SafeHtml } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

export interface ComposeOptions {
  canPublish: boolean;
  /** Just after the first-run setup. */
  welcome?: boolean;
  /** A draft, post waiting for approval or scheduled post being edited. */
  post?: Post;
}

/** The composer: the form on one side, each network's live preview on the other. Also edits a post not yet out. */
export function composeView(staff: StaffPrincipal, profile: Profile, { canPublish, welcome, post }: ComposeOptions): string {
  const kind = post?.kind ?? 'note';
  const kindRadio = (value: 'note' | 'article', label: string) =>
    html`<label
      ><input type="radio" name="kind" value="${value}" ${kind === value ? html`checked` : html``} ${post ? html`disabled` : html``}>
      ${label}</label
    >`;
  return consoleLayoutView({
    title: post ? 'Edit post' : 'Compose',
    staff,
    profile,
    section: 'compose',
    script: 'compose',
    data: {
      profileId: profile.id,
      networks: NETWORK_NAMES,
      limits: { note: NOTE_TEXT_LIMIT, article: ARTICLE_TEXT_LIMIT },
      post: post
        ? { id: post.id, status: post.status, attachments: post.attachments, scheduledAt: post.scheduledAt?.toISOString() ?? null }
        : null,
    },
    body: html`${
      welcome
        ? html`<p class="notice">Profile @${profile.handle} is set up. Write its first post; the preview shows how each network will show it.</p>`
        : html``
    }
      ${post?.status === 'scheduled' ? html`<p class="notice">Scheduled: change the time below to reschedule it.</p>` : html``}
      <div class="compose">
        <form id="compose">
          <fieldset>
            <legend>Kind</legend>
            <div class="inline">${kindRadio('note', 'Note')} ${kindRadio('article', 'Article')}</div>
          </fieldset>
          <fieldset id="article-fields">
            <legend>Article</legend>
            <div class="field">
              <label for="title">Title</label><input id="title" name="title" type="text" maxlength="300" value="${post?.title ?? ''}">
            </div>
            <div class="field">
              <label for="summary">Summary</label><input id="summary" name="summary" type="text" maxlength="1000" value="${post?.summary ?? ''}">
            </div>
          </fieldset>
          <div class="field">
            <label for="text">Text</label><textarea id="text" name="text" required aria-describedby="text-count">${post?.text ?? ''}</textarea>
            <span id="text-count" class="count"></span>
          </div>
          <div class="inline">
            <div class="field">
              <label for="contentWarning">Content warning (optional)</label
              ><input id="contentWarning" name="contentWarning" type="text" maxlength="500" value="${post?.contentWarning ?? ''}">
            </div>
            <div class="field">
              <label for="language">Language</label
              ><input id="language" name="language" type="text" value="${post ? (post.language ?? '') : 'en'}" size="6" maxlength="20">
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
          <div class="field">
            <label for="scheduledAt"
              >${post?.status === 'scheduled' ? 'Publish at' : 'Publish at (optional; leave empty to publish now)'}</label
            ><input id="scheduledAt" name="scheduledAt" type="datetime-local" ${post?.status === 'scheduled' ? html`required` : html``}>
          </div>
          <div class="actions">${buttons(post, canPublish)}</div>
          ${profile.requiresApproval ? html`<p>This profile requires approval: an approver publishes what you submit.</p>` : html``}
        </form>
        <section class="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview on each network</h2>
          <div id="preview-networks" aria-live="polite"><p>The preview appears as you type.</p></div>
        </section>
      </div>`,
  });
}

function buttons(post: Post | undefined, canPublish: boolean): SafeHtml {
  const submit = (action: string, label: string, secondary = true) =>
    html`<button type="submit" name="action" value="${action}" ${secondary ? html`class="secondary"` : html``}>${label}</button>`;
  if (post && post.status !== 'draft') return submit('save', 'Save changes', false);
  return html`${submit(post ? 'save' : 'draft', 'Save draft')} ${submit('in_review', 'Submit for approval')}
  ${canPublish ? submit('published', 'Publish', false) : html``}`;
}
