import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type { Protocol } from '../../common/protocol.js';
import { html, type SafeHtml } from '../../common/html.js';
import { excerpt } from '../../posts/post-text.js';
import { FIGURES } from '../../analytics/post-figures.js';
import type { FollowerDay, ModerationReport, PostReport, SummaryReport } from '../../analytics/reports.service.js';
import { consoleLayoutView } from './console-layout.view.js';
import { NETWORK_NAMES } from './network-names.js';

/** Distinct for colour-blind readers too, each with at least 3:1 against white (non-text contrast). */
const NETWORK_COLOURS: Record<string, string> = { activitypub: '#5b3cc4', atproto: '#0a66c2' };
const FIGURE_NAMES: Record<(typeof FIGURES)[number], string> = {
  likes: 'Likes',
  reposts: 'Reposts and boosts',
  replies: 'Replies',
  quotes: 'Quotes',
  reactions: 'Emoji reactions',
};

/** Charts are drawn 360 units wide: one unit a CSS pixel on a 390 px phone, scaled up to the chart's max width elsewhere. */
const WIDTH = 360;
const FONT = 12;

export interface ReportsQuery {
  from: string;
  to: string;
  timeZone: string;
  network?: Protocol;
}

export interface ReportsPage {
  query: ReportsQuery;
  networks: Protocol[];
  summary: SummaryReport;
  topPosts: PostReport[];
  followers: FollowerDay[];
  moderation: ModerationReport;
}

export function reportsView(staff: StaffPrincipal, profile: Profile, page: ReportsPage): string {
  const { networks, summary } = page;
  return consoleLayoutView({
    title: 'Reports',
    staff,
    profile,
    section: 'reports',
    body: html`${periodFormView(page.query, profile.protocols)}
      <p>
        ${page.query.from} to ${page.query.to} (${page.query.timeZone}). Posts count in the period they were published in, with their
        latest figures: on the fediverse what Herald received, on Bluesky what its AppView last counted.
      </p>
      ${exportLinksView(profile.id, page.query)}
      <h2>Networks compared</h2>
      <div class="report-pair">
        ${barChart(
          'chart-networks',
          'Reactions by kind on each network',
          FIGURES.map((figure) => ({
            label: FIGURE_NAMES[figure],
            segments: networks.map((network) => ({
              network,
              value: summary.networks.find((each) => each.network === network)?.[figure] ?? 0,
            })),
          })),
          networks,
          false,
        )}
        ${networkTableView(summary, networks)}
      </div>
      <h2>Top posts</h2>
      ${
        page.topPosts.length === 0
          ? html`<p>No posts published in this period.</p>`
          : html`<div class="report-pair">
            ${barChart(
              'chart-posts',
              'Reactions per post, stacked by network',
              page.topPosts.map((post) => ({
                label: post.label,
                segments: networks.map((network) => ({ network, value: post.networks[network]?.total ?? 0 })),
              })),
              networks,
              true,
            )}
            ${topPostsTableView(page.topPosts, networks)}
          </div>`
      }
      <h2>Followers</h2>
      <div class="report-pair">${followersChart(page.followers, networks)} ${followersTableView(page.followers, networks)}</div>
      <h2>Moderation response times</h2>
      ${moderationView(page.moderation)}`,
  });
}

function periodFormView(query: ReportsQuery, protocols: Protocol[]): SafeHtml {
  return html`<form method="get" class="report-period">
    <label>From <input type="date" name="from" value="${query.from}" required></label>
    <label>To <input type="date" name="to" value="${query.to}" required></label>
    <label>Time zone <input type="text" name="timeZone" value="${query.timeZone}" maxlength="64" required></label>
    <label
      >Network
      <select name="network">
        <option value="">All</option>
        ${protocols.map(
          (protocol) =>
            html`<option value="${protocol}" ${query.network === protocol ? html`selected` : html``}>${NETWORK_NAMES[protocol]}</option>`,
        )}
      </select>
    </label>
    <button type="submit">Show</button>
  </form>`;
}

function exportLinksView(profileId: string, query: ReportsQuery): SafeHtml {
  const href = (report: string, format: string) => {
    const params = new URLSearchParams({ report, format, from: query.from, to: query.to, timeZone: query.timeZone });
    if (query.network) params.set('network', query.network);
    return `/api/profiles/${profileId}/reports/export?${params}`;
  };
  const reports: Array<[string, string]> = [
    ['posts', 'Figures per post'],
    ['interactions', 'Fediverse interactions'],
    ['followers', 'Followers per day'],
  ];
  return html`<section aria-labelledby="exports-title">
    <h2 id="exports-title">Export this period</h2>
    <ul class="exports">
      ${reports.map(
        ([report, label]) =>
          html`<li>
            ${label}: <a href="${href(report, 'csv')}" download>CSV</a> · <a href="${href(report, 'jsonl')}" download>JSON Lines</a>
          </li>`,
      )}
    </ul>
  </section>`;
}

interface BarRow {
  label: string;
  segments: Array<{ network: Protocol; value: number }>;
}

/**
 * Horizontal bars, each under its label (labels never squeeze the bars on a phone);
 * `stacked` puts the networks end to end, otherwise one thin bar per network.
 */
function barChart(id: string, title: string, rows: BarRow[], networks: Protocol[], stacked: boolean): SafeHtml {
  const max = Math.max(
    1,
    ...rows.flatMap((row) =>
      stacked ? [row.segments.reduce((sum, each) => sum + each.value, 0)] : row.segments.map((each) => each.value),
    ),
  );
  const barWidth = WIDTH - 48;
  const barHeight = stacked ? 14 : 9;
  const rowHeight = FONT + 6 + (stacked ? barHeight : networks.length * (barHeight + 2)) + 10;
  const height = rows.length * rowHeight + 24;
  return html`<figure class="chart">
    <svg role="img" aria-labelledby="${id}-title" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
      <title id="${id}-title">${title} (the table holds the numbers)</title>
      ${rows.map((row, index) => {
        const top = index * rowHeight;
        let x = 0;
        const bars = row.segments.map((segment, position) => {
          const width = (segment.value / max) * barWidth;
          const y = stacked ? top + FONT + 6 : top + FONT + 6 + position * (barHeight + 2);
          const bar = html`<rect
            x="${(stacked ? x : 0).toFixed(1)}"
            y="${y}"
            width="${width.toFixed(1)}"
            height="${barHeight}"
            fill="${NETWORK_COLOURS[segment.network]}"
          ></rect>`;
          if (stacked) x += width;
          return stacked
            ? bar
            : html`${bar}<text x="${(width + 4).toFixed(1)}" y="${y + barHeight - 1}" font-size="${FONT - 2}" fill="#16181d">${segment.value}</text>`;
        });
        const sum = row.segments.reduce((total, segment) => total + segment.value, 0);
        return html`<text x="0" y="${top + FONT}" font-size="${FONT}" fill="#16181d">${excerpt(row.label, 52)}</text>${bars}${
          stacked
            ? html`<text x="${(x + 4).toFixed(1)}" y="${top + FONT + 6 + barHeight - 2}" font-size="${FONT - 2}" fill="#16181d">${sum}</text>`
            : html``
        }`;
      })}
      ${legend(networks, height - 14)}
    </svg>
  </figure>`;
}

function legend(networks: Protocol[], y: number): SafeHtml {
  return html`${networks.map(
    (network, index) =>
      html`<rect x="${index * 110}" y="${y}" width="12" height="12" fill="${NETWORK_COLOURS[network]}"></rect
        ><text x="${index * 110 + 16}" y="${y + 11}" font-size="${FONT}" fill="#16181d">${NETWORK_NAMES[network]}</text>`,
  )}`;
}

/** Followers at the end of each day, one line per network. */
function followersChart(days: FollowerDay[], networks: Protocol[]): SafeHtml {
  const plotLeft = 36;
  const plotWidth = WIDTH - plotLeft - 6;
  const plotTop = 8;
  const plotHeight = 140;
  const max = Math.max(1, ...days.flatMap((day) => networks.map((network) => day.networks[network]?.followers ?? 0)));
  const x = (index: number) => plotLeft + (days.length <= 1 ? plotWidth / 2 : (index / (days.length - 1)) * plotWidth);
  const y = (value: number) => plotTop + plotHeight - (value / max) * plotHeight;
  const bottom = plotTop + plotHeight;
  return html`<figure class="chart">
    <svg role="img" aria-labelledby="chart-followers-title" viewBox="0 0 ${WIDTH} ${bottom + 48}" width="100%" preserveAspectRatio="xMinYMin meet">
      <title id="chart-followers-title">Followers at the end of each day, per network (the table holds the numbers)</title>
      <line x1="${plotLeft}" y1="${bottom}" x2="${WIDTH - 6}" y2="${bottom}" stroke="#6b7280"></line>
      <line x1="${plotLeft}" y1="${plotTop}" x2="${plotLeft}" y2="${bottom}" stroke="#6b7280"></line>
      <text x="${plotLeft - 4}" y="${plotTop + FONT - 2}" font-size="${FONT - 2}" text-anchor="end" fill="#16181d">${max}</text>
      <text x="${plotLeft - 4}" y="${bottom}" font-size="${FONT - 2}" text-anchor="end" fill="#16181d">0</text>
      ${
        days.length > 0
          ? html`<text x="${plotLeft}" y="${bottom + FONT + 2}" font-size="${FONT - 2}" fill="#16181d">${days[0].date}</text>
            <text x="${WIDTH - 6}" y="${bottom + FONT + 2}" font-size="${FONT - 2}" text-anchor="end" fill="#16181d">${days[days.length - 1].date}</text>`
          : html``
      }
      ${networks.map((network) => {
        const points = days.map((day, index) => `${x(index).toFixed(1)},${y(day.networks[network]?.followers ?? 0).toFixed(1)}`).join(' ');
        return html`<polyline points="${points}" fill="none" stroke="${NETWORK_COLOURS[network]}" stroke-width="2"></polyline>`;
      })}
      ${legend(networks, bottom + 30)}
    </svg>
  </figure>`;
}

function networkTableView(summary: SummaryReport, networks: Protocol[]): SafeHtml {
  const rows: Array<[string, (each: SummaryReport['together']) => number]> = [
    ['Posts', (each) => each.posts],
    ...FIGURES.map((figure): [string, (each: SummaryReport['together']) => number] => [FIGURE_NAMES[figure], (each) => each[figure]]),
    ['All reactions', (each) => each.total],
    ['Reactions per post', (each) => each.perPost],
    ['Followers at start', (each) => each.followers.atStart],
    ['Followers at end', (each) => each.followers.atEnd],
    ['Follows', (each) => each.followers.follows],
    ['Unfollows', (each) => each.followers.unfollows],
  ];
  const byNetwork = (network: Protocol) => summary.networks.find((each) => each.network === network)!;
  return html`<div class="table-scroll">
    <table class="report" id="report-networks">
      <caption>
        Totals per network
      </caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          ${networks.map((network) => html`<th scope="col">${NETWORK_NAMES[network]}</th>`)}
          <th scope="col">Together</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([label, value]) =>
            html`<tr>
              <th scope="row">${label}</th>
              ${networks.map((network) => html`<td>${value(byNetwork(network))}</td>`)}
              <td>${value(summary.together)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function topPostsTableView(posts: PostReport[], networks: Protocol[]): SafeHtml {
  return html`<div class="table-scroll">
    <table class="report" id="report-posts">
      <caption>
        Reactions per post (likes, reposts, replies, quotes, emoji reactions)
      </caption>
      <thead>
        <tr>
          <th scope="col">Post</th>
          <th scope="col">Published</th>
          ${networks.map((network) => html`<th scope="col">${NETWORK_NAMES[network]}</th>`)}
          <th scope="col">Together</th>
        </tr>
      </thead>
      <tbody>
        ${posts.map(
          (post) =>
            html`<tr data-post-id="${post.postId}">
              <th scope="row">${excerpt(post.label, 80)}</th>
              <td>${post.publishedDate}</td>
              ${networks.map((network) => html`<td>${post.networks[network]?.total ?? '–'}</td>`)}
              <td>${post.total}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function followersTableView(days: FollowerDay[], networks: Protocol[]): SafeHtml {
  return html`<div class="table-scroll">
    <table class="report" id="report-followers">
      <caption>
        Followers per day (followers at the end of the day, follows and unfollows that day)
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          ${networks.map(
            (network) =>
              html`<th scope="col">${NETWORK_NAMES[network]} followers</th>
                <th scope="col">Follows</th>
                <th scope="col">Unfollows</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${days.map(
          (day) =>
            html`<tr>
              <th scope="row">${day.date}</th>
              ${networks.map((network) => {
                const figures = day.networks[network] ?? { followers: 0, follows: 0, unfollows: 0 };
                return html`<td>${figures.followers}</td>
                  <td>${figures.follows}</td>
                  <td>${figures.unfollows}</td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const duration = (seconds: number | null): string => {
  if (seconds === null) return '–';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
};

function moderationView(report: ModerationReport): SafeHtml {
  const rows = [
    { name: 'Everyone', ...report.everyone },
    ...report.moderators.map((each) => ({ ...each, name: each.name ?? 'Former staff' })),
  ];
  return html`<p>${report.unanswered} replies, mentions and quotes received in this period still wait for an answer.</p>
    <div class="table-scroll">
      <table class="report" id="report-moderation">
        <caption>
          Time from arrival to answer, for interactions received in this period
        </caption>
        <thead>
          <tr>
            <th scope="col">Moderator</th>
            <th scope="col">Answered</th>
            <th scope="col">Median</th>
            <th scope="col">90th percentile</th>
            <th scope="col">Mean</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr>
                <th scope="row">${row.name}</th>
                <td>${row.answered}</td>
                <td>${duration(row.medianSeconds)}</td>
                <td>${duration(row.p90Seconds)}</td>
                <td>${duration(row.meanSeconds)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
