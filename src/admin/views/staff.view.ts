import { ROLES, type Role } from '../../access/role.js';
import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { StaffUser } from '../../auth/staff-user.entity.js';
import { html, type SafeHtml } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';

/** What each role may do, in the words staff use. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Admin: everything, including staff and settings',
  editor: 'Editor: writes and publishes posts',
  approver: 'Approver: approves posts where approval is required',
  moderator: 'Moderator: triages and answers the inbox',
  analyst: 'Analyst: reads reports and the inbox',
};

const roleBoxes = (prefix: string, checked: Role[]): SafeHtml =>
  html`<fieldset class="roles">
    <legend>Roles</legend>
    ${ROLES.map(
      (role) =>
        html`<label
          ><input type="checkbox" name="role-${role}" data-role value="${role}" id="${prefix}-${role}" ${checked.includes(role) ? html`checked` : html``}>
          ${ROLE_DESCRIPTIONS[role]}</label
        >`,
    )}
  </fieldset>`;

/** The admin's staff page: add accounts, change names and roles, disable or enable, set a new password. */
export function staffView(staff: StaffPrincipal, accounts: StaffUser[]): string {
  return consoleLayoutView({
    title: 'Staff',
    staff,
    section: 'staff',
    script: 'staff',
    body: html`<h2 id="new-staff-heading">Add a staff member</h2>
      <form id="new-staff" class="card" aria-labelledby="new-staff-heading">
        <div class="field"><label for="new-email">E-mail</label><input id="new-email" name="email" type="email" required></div>
        <div class="field"><label for="new-name">Name</label><input id="new-name" name="displayName" type="text" required maxlength="200"></div>
        <div class="field">
          <label for="new-password">First password (at least 12 characters; tell it to them, they change it)</label
          ><input id="new-password" name="password" type="text" required minlength="12" autocomplete="off">
        </div>
        ${roleBoxes('new', ['editor'])}
        <div class="actions"><button type="submit">Add staff member</button></div>
      </form>
      <h2>Staff members</h2>
      <ul class="list" id="staff">
        ${accounts.map((account) => staffRowView(staff, account))}
      </ul>`,
  });
}

function staffRowView(viewer: StaffPrincipal, account: StaffUser): SafeHtml {
  const prefix = `staff-${account.id}`;
  return html`<li class="row" data-staff-id="${account.id}" data-disabled="${String(account.disabled)}">
    <form class="staff-form" aria-label="${account.displayName}">
      <p class="row-head">
        <strong>${account.displayName}</strong><span>${account.email}</span>${account.disabled ? html`<span class="badge">Disabled</span>` : html``}${
          account.id === viewer.id ? html`<span>(you)</span>` : html``
        }
      </p>
      <div class="field">
        <label for="${prefix}-name">Name</label
        ><input id="${prefix}-name" name="displayName" type="text" value="${account.displayName}" required maxlength="200">
      </div>
      ${roleBoxes(prefix, account.roles)}
      <div class="field">
        <label for="${prefix}-password">New password (optional; ends their sessions)</label
        ><input id="${prefix}-password" name="password" type="text" minlength="12" autocomplete="off">
      </div>
      <div class="actions">
        <button type="submit">Save</button>
        <button type="button" class="secondary" data-action="${account.disabled ? 'enable' : 'disable'}">
          ${account.disabled ? 'Enable' : 'Disable'}
        </button>
      </div>
    </form>
  </li>`;
}

/** Everyone's own account: who they are, their roles, and their password. */
export function accountView(staff: StaffPrincipal): string {
  return consoleLayoutView({
    title: 'My account',
    staff,
    section: 'account',
    script: 'account',
    body: html`<p>${staff.displayName} · ${staff.email}</p>
      <ul>
        ${staff.roles.map((role) => html`<li>${ROLE_DESCRIPTIONS[role]}</li>`)}
      </ul>
      <h2>Change your password</h2>
      <form id="password" class="card">
        <div class="field">
          <label for="currentPassword">Current password</label
          ><input id="currentPassword" name="currentPassword" type="password" required autocomplete="current-password">
        </div>
        <div class="field">
          <label for="newPassword">New password (at least 12 characters)</label
          ><input id="newPassword" name="newPassword" type="password" required minlength="12" autocomplete="new-password">
        </div>
        <div class="field">
          <label for="repeatPassword">New password again</label
          ><input id="repeatPassword" name="repeatPassword" type="password" required minlength="12" autocomplete="new-password">
        </div>
        <p>Changing it logs you out everywhere, here too: log in again with the new password.</p>
        <div class="actions"><button type="submit">Change password</button></div>
      </form>`,
  });
}
