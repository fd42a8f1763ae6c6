import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html } from '../../common/html.js';
import type { NetworkStatus } from '../../publishing/network-status.rules.js';
import { consoleLayoutView } from './console-layout.view.js';
import { networkStatusPartial } from './network-status.partial.js';

export function settingsView(staff: StaffPrincipal, profile: Profile, networks: NetworkStatus[]): string {
  const text = (name: keyof Profile & string, label: string, value: string | null, type = 'text') =>
    html`<div class="field">
      <label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${value ?? ''}">
    </div>`;
  return consoleLayoutView({
    title: 'Profile settings',
    staff,
    profile,
    section: 'settings',
    script: 'settings',
    data: { profileId: profile.id },
    body: html`${networkStatusPartial(staff, profile.id, networks)}
      <form id="settings">
      <p>Handle <strong>@${profile.handle}</strong> · domain and Bluesky handle <strong>${profile.domain}</strong></p>
      ${text('displayName', 'Display name', profile.displayName)}
      <div class="field"><label for="bio">Bio</label><textarea id="bio" name="bio" maxlength="2000">${profile.bio}</textarea></div>
      ${text('organisationType', 'Organisation type', profile.organisationType)} ${text('website', 'Website', profile.website, 'url')}
      ${text('managedBy', 'Managed by (“This instance managed by …”)', profile.managedBy)}
      <div class="field">
        <label for="longPostMode">Bluesky posts over 300 characters</label
        ><select id="longPostMode" name="longPostMode">
          <option value="thread" ${profile.longPostMode === 'thread' ? html` selected` : html``}>Split into a thread</option>
          <option value="link" ${profile.longPostMode === 'link' ? html` selected` : html``}>Post a link card to the full text</option>
        </select>
      </div>
      <p class="inline">
        <input id="requiresApproval" name="requiresApproval" type="checkbox" ${profile.requiresApproval ? html` checked` : html``}><label
          for="requiresApproval"
          >Posts need an approver before they go out</label
        >
      </p>
      <div class="actions"><button type="submit">Save settings</button></div>
    </form>`,
  });
}
