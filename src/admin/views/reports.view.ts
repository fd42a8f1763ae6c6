import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { PROTOCOLS } from '../../common/protocol.js';
import { html, type SafeHtml } from '../../common/html.js';
import { excerpt } from '../../posts/post-text.js';
import type { PostReach } from '../reach-report.repository.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

/** Distinct for colour-blind readers too, each with at least 3:1 against white (non-text contrast). */
const NETWORK_COLOURS: Record<string, string> = { activitypub: '#5b3cc4', atproto: '#0a66c2' };

export function reportsView(staff: StaffPrincipal, profile: Profile, followers: Record<string, number>, posts: PostReach[]): string {
  const total = PROTOCOLS.reduce((sum, protocol) => sum + (followers[protocol] ?? 0), 0);
  return consoleLayoutView({
    title: 'Reports',
    staff,
    profile,
    section: 'reports',
    body: html`<h2>Followers</h2>
      <ul class="publications">
        ${PROTOCOLS.map((protocol) => html`<li><strong>${NETWORK_NAMES[protocol]}:</strong> ${followers[protocol] ?? 0}</li>`)}
        <li><strong>Together:</strong> ${total}</li>
      </ul>
      <h2>Reactions to recent posts</h2>
      <p>Replies, reposts, quotes and likes, from the latest measurement on each network.</p>
      ${posts.length === 0 ? html`<p>No published posts yet.</p>` : html`${chartView(posts)}${tableView(posts)}`}`,
  });
}

/** A horizontal stacked bar per post; the table below carries the same numbers for screen readers. */
function chartView(posts: PostReach[]): SafeHtml {
  const max = Math.max(1, ...posts.map((post) => PROTOCOLS.reduce((sum, protocol) => sum + (post.reactions[protocol] ?? 0), 0)));
  const rowHeight = 28;
  const labelWidth = 260;
  const barWidth = 440;
  const height = posts.length * rowHeight + 30;
  return html`<figure class="chart">
    <svg
      role="img"
      aria-labelledby="chart-title"
      viewBox="0 0 ${labelWidth + barWidth + 60} ${height}"
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      <title id="chart-title">Reactions per post on each network (the table below holds the numbers)</title>
      ${posts.map((post, index) => {
        const y = index * rowHeight;
        let x = labelWidth;
        const segments = PROTOCOLS.map((protocol) => {
          const width = ((post.reactions[protocol] ?? 0) / max) * barWidth;
          const segment = html`<rect
            x="${x.toFixed(1)}"
            y="${y + 4}"
            width="${width.toFixed(1)}"
            height="${rowHeight - 10}"
            fill="${NETWORK_COLOURS[protocol]}"
          ></rect>`;
          x += width;
          return segment;
        });
        const sum = PROTOCOLS.reduce((total, protocol) => total + (post.reactions[protocol] ?? 0), 0);
        return html`<text x="0" y="${y + 19}" font-size="13" fill="#16181d">${excerpt(post.label, 38)}</text>${segments}<text
            x="${(x + 6).toFixed(1)}"
            y="${y + 19}"
            font-size="13"
            fill="#16181d"
            >${sum}</text
          >`;
      })}
      ${PROTOCOLS.map((protocol, index) => {
        const x = labelWidth + index * 140;
        return html`<rect x="${x}" y="${height - 18}" width="14" height="14" fill="${NETWORK_COLOURS[protocol]}"></rect>
          <text x="${x + 20}" y="${height - 6}" font-size="13" fill="#16181d">${NETWORK_NAMES[protocol]}</text>`;
      })}
    </svg>
  </figure>`;
}

function tableView(posts: PostReach[]): SafeHtml {
  return html`<table class="report">
    <caption>
      Reactions per post
    </caption>
    <thead>
      <tr>
        <th scope="col">Post</th>
        <th scope="col">Published</th>
        ${PROTOCOLS.map((protocol) => html`<th scope="col">${NETWORK_NAMES[protocol]}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${posts.map(
        (post) =>
          html`<tr>
            <th scope="row">${excerpt(post.label, 80)}</th>
            <td>${post.publishedAt.toISOString().slice(0, 10)}</td>
            ${PROTOCOLS.map((protocol) => html`<td>${post.reactions[protocol] ?? '–'}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
