import type { StaffPrincipal } from '../../access/staff-principal.js';
import { hasRole } from '../../access/staff-principal.js';
import { INTERACTION_KINDS, TRIAGE_STATES, type Interaction } from '../../inbox/interaction.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { PROTOCOLS } from '../../common/protocol.js';
import { html, trusted, type SafeHtml } from '../../common/html.js';
import type { Audience } from '../../common/audience.js';
import type { InboxContext, InboxFilters } from '../console.service.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

const ANSWERABLE = new Set(['reply', 'mention', 'quote']);

const AUDIENCE_LABELS: Record<Audience, string> = {
  public: 'public',
  unlisted: 'unlisted',
  followers: 'followers only',
  direct: 'direct message',
};

/** What the answer form says about who will read the answer: it keeps the audience of what it answers. */
function answerAudienceNote(item: Interaction, author: string): string | null {
  const who = item.authorHandle ? `@${item.authorHandle}` : author;
  if (item.audience === 'direct') return `This answer is a direct message to ${who}: only they will see it.`;
  if (item.audience === 'followers') return `This answer goes only to ${who} and the people it names, not to the public.`;
  return null;
}

/** A reaction's emoji: the character itself, or a custom emoji's :name: with a link to its image (the console loads no remote images). */
function reactionView(item: Interaction): SafeHtml {
  if (!item.reaction) return html``;
  const image =
    item.reaction.imageUrl && /^https?:\/\//.test(item.reaction.imageUrl)
      ? html` <a href="${item.reaction.imageUrl}" rel="nofollow noopener">(image)</a>`
      : html``;
  return html`<span class="reaction" data-reaction="${item.reaction.emoji}">reacted ${item.reaction.emoji}</span>${image}`;
}

export function inboxView(
  staff: StaffPrincipal,
  profile: Profile,
  items: Interaction[],
  filters: InboxFilters,
  context: InboxContext,
): string {
  const canTriage = hasRole(staff, 'moderator');
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
      ${canTriage ? bulkView(context) : html``}
      <ul class="list" id="inbox-items">
        ${items.map((item) => inboxItemView(staff, profile, item, context))}
      </ul>
      ${items.length === 0 ? html`<p id="inbox-empty">Nothing here yet.</p>` : html``}`,
  });
}

/** Staff who can take an interaction: active moderators (admins included). */
const assignable = (context: InboxContext) =>
  context.staff.filter((member) => !member.disabled && (member.roles.includes('moderator') || member.roles.includes('admin')));

function assigneeOptions(context: InboxContext, selected: string | null): SafeHtml {
  return html`<option value="" ${selected ? html`` : html`selected`}>Nobody</option>
    ${assignable(context).map(
      (member) => html`<option value="${member.id}" ${member.id === selected ? html`selected` : html``}>${member.displayName}</option>`,
    )}`;
}

/** Acts on the checked interactions at once, through the bulk triage API. */
function bulkView(context: InboxContext): SafeHtml {
  return html`<form id="bulk" class="bulk" aria-label="With the selected interactions">
    <span id="bulk-count">None selected</span>
    <div class="field">
      <label for="bulk-action">With the selected</label
      ><select id="bulk-action" name="action">
        <option value="state">Set the state to</option>
        <option value="assign">Assign to</option>
        <option value="label">Add the label</option>
        <option value="unlabel">Remove the label</option>
      </select>
    </div>
    <div class="field" data-bulk="state">
      <label for="bulk-state">State</label
      ><select id="bulk-state" name="state">
        ${TRIAGE_STATES.map((state) => html`<option value="${state}">${state}</option>`)}
      </select>
    </div>
    <div class="field" data-bulk="assign" hidden>
      <label for="bulk-assignee">Assignee</label><select id="bulk-assignee" name="assigneeId">${assigneeOptions(context, null)}</select>
    </div>
    <div class="field" data-bulk="label" hidden>
      <label for="bulk-label">Label</label><input id="bulk-label" name="label" type="text" maxlength="50">
    </div>
    <button type="submit" class="secondary">Apply</button>
  </form>`;
}

/** One interaction with its triage, notes and answer forms; also served alone for live updates. */
export function inboxItemView(staff: StaffPrincipal, profile: Profile, item: Interaction, context: InboxContext): SafeHtml {
  const nameOf = (id: string | null) => context.staff.find((member) => member.id === id)?.displayName ?? 'a former staff member';
  const notes = context.notes.get(item.id) ?? [];
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
  const audienceNote = answerAudienceNote(item, author);
  const stateOption = (state: string) =>
    html`<option value="${state}" ${state === item.state ? html` selected` : html``}>${state}</option>`;
  return html`<li class="row" data-interaction-id="${item.id}" data-state="${item.state}">
    <p class="row-head">
      ${
        canTriage
          ? html`<input type="checkbox" class="select" id="${field('select')}" aria-label="Select the ${item.kind} from ${author}">`
          : html``
      }<span class="badge">${network}</span><span>${item.kind}</span>${reactionView(item)}<span
        class="badge audience"
        data-audience="${item.audience}"
        >${AUDIENCE_LABELS[item.audience]}</span
      >${authorLink}${handle}<time datetime="${item.receivedAt.toISOString()}"
        >${item.receivedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time
      ><span class="badge">${item.state}</span>${item.withdrawnAt ? html`<span>withdrawn by its author</span>` : html``}
    </p>
    ${item.contentHtml ? html`<div class="interaction-content">${trusted(item.contentHtml)}</div>` : html``} ${about}
    <p class="triage-facts">
      ${item.assigneeId ? html`<span>Assigned to <strong>${nameOf(item.assigneeId)}</strong></span>` : html`<span>Not assigned</span>`}
      ${
        item.labels.length
          ? html`<span
            >Labels:
            <ul class="labels">
              ${item.labels.map((label) => html`<li class="badge">${label}</li>`)}
            </ul></span
          >`
          : html``
      }
    </p>
    ${
      notes.length
        ? html`<ul class="notes" aria-label="Internal notes">
          ${notes.map(
            (note) =>
              html`<li>
                <strong>${note.authorId ? nameOf(note.authorId) : 'Herald'}</strong>
                <time datetime="${note.createdAt.toISOString()}">${note.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>:
                <span class="note-text">${note.text}</span>
              </li>`,
          )}
        </ul>`
        : html``
    }
    ${
      canTriage && ANSWERABLE.has(item.kind) && !item.withdrawnAt
        ? html`<form class="answer" data-form="answer">
            <div class="field">
              <label for="${field('answer')}">Answer on ${network}</label
              ><textarea
                id="${field('answer')}"
                name="text"
                required
                maxlength="5000"
                ${audienceNote ? html` aria-describedby="${field('audience')}"` : html``}
              ></textarea>
              ${audienceNote ? html`<p class="answer-audience" id="${field('audience')}">${audienceNote}</p>` : html``}
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
              <label for="${field('assignee')}">Assignee</label
              ><select id="${field('assignee')}" name="assigneeId">
                ${assigneeOptions(context, item.assigneeId)}
              </select>
            </div>
            <div class="field">
              <label for="${field('labels')}">Labels (comma separated)</label
              ><input id="${field('labels')}" name="labels" type="text" value="${item.labels.join(', ')}">
            </div>
            <button type="submit" class="secondary">Save</button>
          </form>
          <form class="note" data-form="note">
            <div class="field">
              <label for="${field('note')}">Internal note (staff only)</label
              ><input id="${field('note')}" name="text" type="text" required maxlength="5000">
            </div>
            <button type="submit" class="secondary">Add note</button>
          </form>`
        : html``
    }
  </li>`;
}
