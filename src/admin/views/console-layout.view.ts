import { INBOX_READERS, type Role } from '../../access/role.js';
import { hasRole, type StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html, jsonScript, type SafeHtml } from '../../common/html.js';

export type ConsoleSection = 'compose' | 'posts' | 'inbox' | 'reports' | 'settings' | 'profiles' | 'staff' | 'account';

export interface ConsoleFrame {
  title: string;
  staff?: StaffPrincipal;
  profile?: Profile;
  section?: ConsoleSection;
  body: SafeHtml;
  /** The page's browser module (src/admin/browser/<script>.ts), loaded as an ES module. */
  script?: string;
  data?: unknown;
}

/** Each section with the roles that may open it (the same as its route's @Roles). */
const SECTIONS: Array<{ section: ConsoleSection; label: string; roles: Role[] }> = [
  { section: 'compose', label: 'Compose', roles: ['editor'] },
  { section: 'posts', label: 'Posts', roles: [] },
  { section: 'inbox', label: 'Inbox', roles: INBOX_READERS },
  { section: 'reports', label: 'Reports', roles: ['analyst'] },
  { section: 'settings', label: 'Settings', roles: ['admin'] },
];

export function consoleLayoutView(frame: ConsoleFrame): string {
  const { profile } = frame;
  const sections = SECTIONS.filter(({ roles }) => frame.staff && (roles.length === 0 || hasRole(frame.staff, ...roles)));
  const link = (profileId: string, section: ConsoleSection, label: string) => {
    const current = section === frame.section ? html` aria-current="page"` : html``;
    return html`<li><a href="/admin/profiles/${profileId}/${section}" ${current}>${label}</a></li>`;
  };
  const nav = profile
    ? html`<nav aria-label="Console">
        <ul>
          ${sections.map(({ section, label }) => link(profile.id, section, label))}
          <li><a href="/@${profile.handle}">Public page</a></li>
        </ul>
      </nav>`
    : html``;
  const current = (section: ConsoleSection) => (section === frame.section ? html` aria-current="page"` : html``);
  const staffLink = frame.staff && hasRole(frame.staff, 'admin') ? html`<a href="/admin/staff" ${current('staff')}>Staff</a>` : html``;
  const header = frame.staff
    ? html`<header class="bar">
        <a class="brand" href="/admin">Herald${profile ? html` · ${profile.displayName}` : html``}</a>${nav}<span class="who"
          >${staffLink}<a href="/admin/account" ${current('account')} title="My account">${frame.staff.displayName}</a></span
        ><button type="button" class="secondary" id="logout">Log out</button>
      </header>`
    : html`<header class="bar"><span class="brand">Herald</span></header>`;
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>${frame.title} · Herald console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/admin/assets/console.css">
        ${frame.staff ? html`<script type="module" src="/admin/assets/session.js"></script>` : html``}
        ${frame.script ? html`<script type="module" src="/admin/assets/${frame.script}.js"></script>` : html``}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        ${header}
        <main id="main">
          <h1>${frame.title}</h1>
          <p id="console-status" role="status" aria-live="polite"></p>
          <noscript><p>The console needs JavaScript to save changes.</p></noscript>
          ${frame.body}
        </main>
        ${
          frame.data !== undefined
            ? html`<script type="application/json" id="console-data">
                ${jsonScript(frame.data)}
              </script>`
            : html``
        }
      </body>
    </html> `.value;
}
