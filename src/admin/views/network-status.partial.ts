import { hasRole, type StaffPrincipal } from '../../access/staff-principal.js';
import { html, type SafeHtml } from '../../common/html.js';
import type { NetworkStatus } from '../../publishing/network-status.rules.js';

const when = (iso: string | null, never: string) =>
  iso ? html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>` : html`${never}`;

const STATE_CLASS: Record<NetworkStatus['state'], string> = {
  ready: 'state-published',
  'needs action': 'state-pending',
  failing: 'state-failed',
};

/** Only admins have the button: others are told whom to ask. */
const forNonAdmins = (action: string) =>
  action.replace(/\b([Pp])ress Try now\b/g, (_match, p: string) => `${p === 'P' ? 'Ask' : 'ask'} an admin to press Try now`);

/**
 * Each network of the profile in plain language: ready, needs action or failing, why,
 * what to do, when it last worked and when Herald tries again. Try now only for admins,
 * who alone may use it; also served alone so the page refreshes it after Try now.
 */
export function networkStatusPartial(staff: StaffPrincipal, profileId: string, statuses: NetworkStatus[]): SafeHtml {
  const mayTry = hasRole(staff, 'admin');
  return html`<section id="network-status" class="network-status" aria-labelledby="network-status-title" data-profile-id="${profileId}">
    <h2 id="network-status-title">Networks</h2>
    <ul class="list">
      ${statuses.map(
        (status) =>
          html`<li class="row" data-protocol="${status.protocol}" data-state="${status.state}">
            <p class="row-head"><strong>${status.network}</strong> <span class="badge ${STATE_CLASS[status.state]}">${status.state}</span></p>
            <p class="network-summary">${status.summary}</p>
            ${
              status.action
                ? html`<p class="network-action"><strong>What to do:</strong> ${mayTry ? status.action : forNonAdmins(status.action)}</p>`
                : html``
            }
            <p class="row-head">
              <span>Last worked: ${when(status.lastWorkedAt, 'not yet')}</span>
              ${status.nextAttemptAt ? html`<span>Next attempt: ${when(status.nextAttemptAt, '')}</span>` : html``}
            </p>
            ${
              status.lastError && status.state !== 'ready'
                ? html`<details><summary>Technical detail</summary><p class="publication-error">${status.lastError}</p></details>`
                : html``
            }
            ${
              mayTry && status.state !== 'ready'
                ? html`<button type="button" class="secondary" data-action="try-now" data-protocol="${status.protocol}">Try now</button>`
                : html``
            }
          </li>`,
      )}
    </ul>
  </section>`;
}
