import type { StaffPrincipal } from '../../access/staff-principal.js';
import { html, type SafeHtml } from '../../common/html.js';
import type { Post } from '../../posts/post.entity.js';
import { excerpt } from '../../posts/post-text.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type { NetworkDelivery } from '../../publishing/delivery-reports.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

/** The parts of an ActivityPub delivery report this page shows (see ActivityPubAdapter.deliveryReport). */
interface ActivityReport {
  activityType: string;
  sentAt: string;
  settledAt: string | null;
  audience: { followers: number | null; inboxes: number; servers: number };
  deliveries: { delivered: number; gone: number; givenUp: number; retrying: number; untried: number };
  lastDeliveredAfterMs: number | null;
  servers: Array<{ host: string; state: string; attempts: number; lastStatus: number | null; lastError: string | null }>;
}

const SERVER_STATES: Record<string, string> = { delivered: 'delivered', gone: 'gone (410)', given_up: 'given up', pending: 'retrying' };

/** "Did it land?": per network, what happened to one post. */
export function deliveryView(staff: StaffPrincipal, profile: Profile, post: Post, networks: NetworkDelivery[]): string {
  return consoleLayoutView({
    title: 'Delivery',
    staff,
    profile,
    section: 'posts',
    body: html`<h2>Did it land?</h2>
      <p class="row-text">${excerpt(post.title ?? post.text, 140)}</p>
      ${networks.length === 0 ? html`<p>This post has not gone to any network.</p>` : networks.map(networkView)}
      <p><a href="/admin/profiles/${profile.id}/posts">Back to posts</a></p>`,
  });
}

function networkView(network: NetworkDelivery): SafeHtml {
  const name = NETWORK_NAMES[network.protocol] ?? network.protocol;
  const error = typeof network.report.error === 'string' ? html`<p class="publication-error">${network.report.error}</p>` : html``;
  const detail = network.protocol === 'activitypub' ? fediverseView(network.report) : blueskyView(network.report);
  return html`<section aria-labelledby="delivery-${network.protocol}">
    <h3 id="delivery-${network.protocol}">${name}: <span class="badge state-${network.state}">${network.state}</span></h3>
    ${network.lastError ? html`<p class="publication-error">${network.lastError}</p>` : html``}${error}${detail}
  </section>`;
}

function fediverseView(report: Record<string, unknown>): SafeHtml {
  const activities = (report.activities ?? []) as ActivityReport[];
  if (activities.length === 0) return html`<p>No follower on the fediverse when it went out: nothing to deliver.</p>`;
  return html`${activities.map(
    (activity) => html`<h4>${activity.activityType} · ${new Date(activity.sentAt).toUTCString()}</h4>
      <p>
        To ${activity.audience.followers ?? activity.audience.inboxes} followers on ${activity.audience.servers} servers:
        ${activity.deliveries.delivered} delivered, ${activity.deliveries.retrying} retrying, ${activity.deliveries.givenUp} given up,
        ${activity.deliveries.gone} gone${activity.deliveries.untried > 0 ? html`, ${activity.deliveries.untried} not tried yet` : html``}.
        ${activity.lastDeliveredAfterMs !== null ? html`Last delivery ${(activity.lastDeliveredAfterMs / 1000).toFixed(1)} s after sending.` : html``}
      </p>
      <div class="table-scroll">
        <table>
          <caption>
            Servers
          </caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Outcome</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
            </tr>
          </thead>
          <tbody>
            ${activity.servers.map(
              (server) => html`<tr data-state="${server.state}">
                <th scope="row">${server.host}</th>
                <td>${SERVER_STATES[server.state] ?? server.state}</td>
                <td>${server.attempts}</td>
                <td>${server.lastError ?? (server.lastStatus !== null ? `HTTP ${server.lastStatus}` : '')}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  )}`;
}

/** The parts of a relay crawl report this page shows (see RelayStatus). */
interface RelayReport {
  ourRev: string | null;
  relays: Array<{
    relay: string;
    reachable: boolean;
    knowsRepo: boolean | null;
    rev?: string | null;
    upToDate?: boolean | null;
    error?: string;
  }>;
}

function blueskyView(report: Record<string, unknown>): SafeHtml {
  const appView = report.appView as { reachable: boolean; shows?: boolean; likes?: number; reposts?: number; error?: string } | null;
  const record = typeof report.uri === 'string' ? html`<p>Record: <code>${report.uri}</code></p>` : html`<p>No record yet.</p>`;
  const relays = relayView(report.relay as RelayReport | null | undefined);
  if (!appView) return html`${record}${relays}`;
  if (!appView.reachable) return html`${record}<p>The AppView could not be asked: ${appView.error ?? 'no answer'}.</p>${relays}`;
  return html`${record}
    <p>
      ${
        appView.shows
          ? html`The AppView shows it (${appView.likes ?? 0} likes, ${appView.reposts ?? 0} reposts).`
          : html`The AppView does not show it yet.`
      }
    </p>
    ${relays}`;
}

function relayView(report: RelayReport | null | undefined): SafeHtml {
  if (!report) return html``;
  if (report.relays.length === 0)
    return html`<p class="relay-none">No relay is configured (ATPROTO_CRAWLERS): no relay is asked to crawl this hub, so only AppViews that read it directly see its posts.</p>`;
  return html`<ul class="relays">
    ${report.relays.map((relay) => html`<li data-relay="${relay.relay}">Relay <code>${new URL(relay.relay).host}</code>: ${relayState(relay, report.ourRev)}</li>`)}
  </ul>`;
}

function relayState(relay: RelayReport['relays'][number], ourRev: string | null): SafeHtml {
  if (!relay.reachable) return html`could not be asked (${relay.error ?? 'no answer'}).`;
  if (relay.knowsRepo === false) return html`does not know this account’s repository yet.`;
  if (relay.knowsRepo === null) return html`did not say (${relay.error ?? 'unknown answer'}).`;
  const rev = relay.rev ? html` at revision <code>${relay.rev}</code>` : html``;
  if (relay.upToDate) return html`knows the repository${rev}, up to date.`;
  return html`knows the repository${rev}, behind ours${ourRev ? html` (<code>${ourRev}</code>)` : html``}.`;
}
