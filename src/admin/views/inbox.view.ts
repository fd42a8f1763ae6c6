import type { StaffPrincipal } from '../../access/staff-principal.js';
import { hasRole } from '../../access/staff-principal.js';
import { INTERACTION_KINDS, TRIAGE_STATES, type Interaction } from '../../inbox/interaction.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { PROTOCOLS } from '../../common/protocol.js';
import { html, trusted, type SafeHtml } from '../../common/html.js';
import type { InboxFilters } from '../console.service.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

const ANSWERABLE = new Set(['reply', 'mention', 'quote']);

export function inboxView(staff: StaffPrincipal, profile: Profile, items: Interaction[], filters: InboxFilters): string {
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}" ${value === (selected ?? '') ? html` selected` : html``}>${label}</option>`;
  return consoleLayoutView({
    title: 'Inbox',
    staff,
    profile,
    section: 'inbox',
    script: 'inbox',
    data: { profileId: profile.id },
    body: html`<form class="filters" method="get" aria-label="Filter the inbox">
        <div class="field">
          <label for="filter-state">State</label
          ><select id="filter-state" name="state">
            ${option('', 'Open (not hidden or spam)', filters.state)}${TRIAGE_STATES.map((state) => option(state, state, filters.state))}
          </select>
        </div>
        <div class="field">
          <label for="filter-network">Network</label
          ><select id="filter-network" name="protocol">
            ${option('', 'Both', filters.protocol)}
            ${PROTOCOLS.map((protocol) => option(protocol, NETWORK_NAMES[protocol], filters.protocol))}
          </select>
        </div>
        <div class="field">
          <label for="filter-kind">Kind</label
          ><select id="filter-kind" name="kind">
            ${option('', 'Any', filters.kind)}${INTERACTION_KINDS.map((kind) => option(kind, kind, filters.kind))}
          </select>
        </div>
        <button type="submit" class="secondary">Filter</button>
      </form>
      <p class="live" id="live-state">Live updates start when the page has loaded.</p>
      <ul class="list" id="inbox-items">
        ${items.map((item) => inboxItemView(staff, profile, item))}
      </ul>
      ${items.length === 0 ? html`<p id="inbox-empty">Nothing here yet.</p>` : html``}`,
  });
}

/** One interaction with its triage and answer forms; also served alone for live updates. */
export function inboxItemView(staff: StaffPrincipal, profile: Profile, item: Interaction): SafeHtml {
  const network = NETWORK_NAMES[item.protocol] ?? item.protocol;
  const author = item.authorName || item.authorHandle || item.authorId;
  const authorUrl = item.authorUrl && /^https?:\/\//.test(item.authorUrl) ? item.authorUrl : null;
  const canTriage = hasRole(staff, 'moderator');
  const field = (name: string) => `${name}-${item.id}`;
  const authorLink = authorUrl ? html`<a href="${authorUrl}" rel="nofollow noopener">${author}</a>` : html`<span>${author}</span>`;
  const handle = item.authorHandle && item.authorHandle !== author ? html`<span>${item.authorHandle}</span>` : html``;
  const original =
    item.url && /^https?:\/\//.test(item.url) ? html` · <a href="${item.url}" rel="nofollow noopener">original on ${network}</a>` : html``;
  const about = item.targetPostId
    ? html`<p>About <a href="/@${profile.handle}/posts/${item.targetPostId}">this post</a>${original}</p>`
    : html``;
  const stateOption = (state: string) =>
    html`<option value="${state}" ${state === item.state ? html` selected` : html``}>${state}</option>`;
  return html`<li class="row" data-interaction-id="${item.id}" data-state="${item.state}">
    <p class="row-head">
      <span class="badge">${network}</span><span>${item.kind}</span>${authorLink}${handle}<time datetime="${item.receivedAt.toISOString()}"
        >${item.receivedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time
      ><span class="badge">${item.state}</span>${item.withdrawnAt ? html`<span>withdrawn by its author</span>` : html``}
    </p>
    ${item.contentHtml ? html`<div class="interaction-content">${trusted(item.contentHtml)}</div>` : html``} ${about}
    ${
      canTriage && ANSWERABLE.has(item.kind) && !item.withdrawnAt
        ? html`<form class="answer" data-form="answer">
            <div class="field">
              <label for="${field('answer')}">Answer on ${network}</label
              ><textarea id="${field('answer')}" name="text" required maxlength="5000"></textarea>
            </div>
            <button type="submit">Send answer</button>
          </form>`
        : html``
    }
    ${
      canTriage
        ? html`<form class="triage" data-form="triage">
            <div class="field">
              <label for="${field('state')}">State</label
              ><select id="${field('state')}" name="state">
                ${TRIAGE_STATES.map(stateOption)}
              </select>
            </div>
            <div class="field">
              <label for="${field('labels')}">Labels (comma separated)</label
              ><input id="${field('labels')}" name="labels" type="text" value="${item.labels.join(', ')}">
            </div>
            <button type="submit" class="secondary">Save</button>
          </form>`
        : html``
    }
  </li>`;
}
