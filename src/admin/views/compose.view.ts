import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

/** The composer: the form on one side, each network's live preview on the other. */
export function composeView(staff: StaffPrincipal, profile: Profile, canPublish: boolean): string {
  return consoleLayoutView({
    title: 'Compose',
    staff,
    profile,
    section: 'compose',
    script: 'compose',
    data: { profileId: profile.id, networks: NETWORK_NAMES },
    body: html`<div class="compose">
      <form id="compose">
        <fieldset>
          <legend>Kind</legend>
          <div class="inline">
            <label><input type="radio" name="kind" value="note" checked> Note</label>
            <label><input type="radio" name="kind" value="article"> Article</label>
          </div>
        </fieldset>
        <fieldset id="article-fields">
          <legend>Article</legend>
          <div class="field"><label for="title">Title</label><input id="title" name="title" type="text" maxlength="300"></div>
          <div class="field"><label for="summary">Summary</label><input id="summary" name="summary" type="text" maxlength="1000"></div>
        </fieldset>
        <div class="field"><label for="text">Text</label><textarea id="text" name="text" required></textarea></div>
        <div class="inline">
          <div class="field">
            <label for="contentWarning">Content warning (optional)</label
            ><input id="contentWarning" name="contentWarning" type="text" maxlength="500">
          </div>
          <div class="field">
            <label for="language">Language</label><input id="language" name="language" type="text" value="en" size="6" maxlength="20">
          </div>
        </div>
        <fieldset>
          <legend>Images</legend>
          <div class="inline">
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
          <label for="scheduledAt">Publish at (optional; leave empty to publish now)</label
          ><input id="scheduledAt" name="scheduledAt" type="datetime-local">
        </div>
        <div class="actions">
          <button type="submit" name="action" value="draft" class="secondary">Save draft</button>
          <button type="submit" name="action" value="in_review" class="secondary">Submit for approval</button>
          ${canPublish ? html`<button type="submit" name="action" value="published">Publish</button>` : html``}
        </div>
        ${profile.requiresApproval ? html`<p>This profile requires approval: an approver publishes what you submit.</p>` : html``}
      </form>
      <section class="preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview on each network</h2>
        <div id="preview-networks" aria-live="polite"><p>The preview appears as you type.</p></div>
      </section>
    </div>`,
  });
}
