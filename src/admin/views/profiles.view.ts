import { hasRole, type StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';

export function profilesView(staff: StaffPrincipal, profiles: Profile[]): string {
  return consoleLayoutView({
    title: 'Profiles',
    staff,
    section: 'profiles',
    body: html`<ul class="profiles">
            ${profiles.map(
              (profile) =>
                html`<li>
                  <a href="/admin/profiles/${profile.id}/posts">${profile.displayName}</a> (@${profile.handle} · ${profile.domain})
                </li>`,
            )}
          </ul>
      ${hasRole(staff, 'admin') ? html`<p><a class="button" href="/admin/profiles/new">New profile</a></p>` : html``}`,
  });
}

export function consoleErrorView(staff: StaffPrincipal | undefined, status: number, message: string): string {
  return consoleLayoutView({
    title: status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Something went wrong',
    staff,
    body: html`<p>${message}</p>
      <p><a href="/admin">Back to the console</a></p>`,
  });
}
