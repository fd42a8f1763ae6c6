import type { StaffPrincipal } from '../../access/staff-principal.js';
import { hasRole } from '../../access/staff-principal.js';
import { PROTOCOLS } from '../../common/protocol.js';
import { html } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

/**
 * First run: the hub has no profile yet. An admin sets up the first one here (the
 * page calls the profiles and media APIs); anyone else learns who can.
 */
export function setupView(staff: StaffPrincipal, publicHost: string): string {
  if (!hasRole(staff, 'admin')) {
    return consoleLayoutView({
      title: 'No profile yet',
      staff,
      body: html`<p>This Herald has no profile yet. An admin sets it up from this console; come back once they have.</p>`,
    });
  }
  const text = (name: string, label: string, hint = '', type = 'text', extra = html``) =>
    html`<div class="field">
      <label for="${name}">${label}</label>${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : html``}
      <input id="${name}" name="${name}" type="${type}" ${hint ? html`aria-describedby="${name}-hint"` : html``} ${extra}>
    </div>`;
  const image = (name: 'avatar' | 'banner', label: string) =>
    html`<fieldset>
      <legend>${label} (optional)</legend>
      <div class="field">
        <label for="${name}-file">${label} image</label
        ><input id="${name}-file" name="${name}File" type="file" accept="image/png,image/jpeg,image/webp,image/gif">
      </div>
      <div class="field">
        <label for="${name}-alt">${label} alt text (describe the image)</label
        ><input id="${name}-alt" name="${name}Alt" type="text" maxlength="1500">
      </div>
    </fieldset>`;
  return consoleLayoutView({
    title: 'Set up your first profile',
    staff,
    section: 'profiles',
    script: 'setup',
    data: { networks: NETWORK_NAMES },
    body: html`<p>
        Herald publishes one organisation’s posts to the fediverse and Bluesky. Describe the organisation once; you can change everything
        but the handle and domain later under Settings.
      </p>
      <form id="setup">
        ${text('displayName', 'Name', 'As people will see it, e.g. European Commission', 'text', html`required maxlength="64"`)}
        ${text(
          'handle',
          'Fediverse handle',
          'Lower-case letters, digits or _ (the “eu” in @eu@social.example.eu)',
          'text',
          html`required maxlength="30" pattern="[a-z0-9_]{1,30}"`,
        )}
        ${text(
          'domain',
          'Domain',
          `The web domain and Bluesky handle, e.g. social.example.eu; point its HTTPS at this Herald (${publicHost})`,
          'text',
          html`required maxlength="253"`,
        )}
        <div class="field"><label for="bio">Bio</label><textarea id="bio" name="bio" maxlength="2000"></textarea></div>
        ${image('avatar', 'Avatar')} ${image('banner', 'Banner')}
        ${text('organisationType', 'Organisation type', 'e.g. Governmental organisation', 'text', html`maxlength="100"`)}
        ${text('website', 'Website', 'https://…', 'url', html`maxlength="2048"`)}
        ${text('managedBy', 'Managed by', 'Shown as “This profile is managed by …”, e.g. the European Union', 'text', html`maxlength="200"`)}
        <fieldset>
          <legend>Networks</legend>
          <div class="inline">
            ${PROTOCOLS.map(
              (protocol) =>
                html`<label><input type="checkbox" name="protocol-${protocol}" data-protocol value="${protocol}" checked> ${NETWORK_NAMES[protocol] ?? protocol}</label>`,
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Approval</legend>
          <div class="inline">
            <label><input type="radio" name="requiresApproval" value="false" checked> Editors publish directly</label>
            <label><input type="radio" name="requiresApproval" value="true"> Posts need an approver before they go out</label>
          </div>
        </fieldset>
        <div class="actions"><button type="submit">Create profile</button></div>
      </form>`,
  });
}
