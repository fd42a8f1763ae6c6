import { jest } from '@jest/globals';
import { Announce, EmojiReact, Like, PUBLIC_COLLECTION, Undo } from '@fedify/vocab';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { NotificationIngest } from '../../src/protocols/atproto/notifications/notification-ingest.js';
import { BlueskyNetwork, type BlueskyUser } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { htmlProblems } from '../support/html-validity.js';
import { startFederatedTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

jest.setTimeout(240_000);

const DOMAIN = 'reach.example.org';
const FIGURES = ['likes', 'reposts', 'replies', 'quotes', 'reactions'] as const;

interface Ref {
  uri: string;
  cid: string;
}

type NetworkFigures = Record<(typeof FIGURES)[number] | 'total', number>;

/**
 * Reach figures from real traffic only: a Fedify peer likes (and un-likes),
 * boosts and replies to a Herald post, dev-env's alice likes, reposts, quotes
 * and replies on Bluesky; then the reports API, the console's reports page,
 * the public post page and the CSV and JSON Lines exports show the same numbers.
 */
describe('reach reports from real fediverse and Bluesky traffic', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let peer: FediversePeer;
  let alice: BlueskyUser;
  let profileId: string;
  let actorId: string;
  let did: string;
  let postId: string;
  let analyst: string;
  let moderator: string;
  const today = new Date().toISOString().slice(0, 10);
  const period = `from=${today}&to=${today}&timeZone=UTC`;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const rows = (sql: string, params: unknown[] = []) =>
    hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;
  const stored = (remoteId: string, withdrawn = false) =>
    rows(`SELECT 1 FROM interaction WHERE remote_id = $1 AND (withdrawn_at IS NOT NULL) = $2`, [remoteId, withdrawn]).then(
      (found) => found.length > 0,
    );
  const api = (path: string) => hub.http.get(`/api/profiles/${profileId}/reports/${path}`).set(auth(analyst));

  beforeAll(async () => {
    network = await BlueskyNetwork.start('reach');
    [hub, peer] = await Promise.all([startFederatedTestHerald('reach', 'localhost', network.heraldEnv()), startFediversePeer('127.0.0.6')]);
    network.index({ url: hub.url, domains: [DOMAIN] });
    const admin = await hub.login(['admin']);
    const editor = await hub.login(['editor']);
    analyst = await hub.login(['analyst'], 'analyst@example.test');
    moderator = await hub.login(['moderator']);
    const profile = await hub.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ handle: 'reach', domain: DOMAIN, displayName: 'Reach Desk', protocols: ['activitypub', 'atproto'] })
      .expect(201);
    profileId = profile.body.id;
    actorId = `${hub.url}/@reach`;
    alice = await network.createUser('alice');
    did = (
      await eventually(async () => {
        const found = await rows(`SELECT did FROM atproto_account WHERE profile_id = $1 AND handle = $2`, [profileId, DOMAIN]);
        return found.length ? found[0] : null;
      }, 60_000)
    ).did as string;

    // Both follow; the peer leaves again, so the day has a follow and an unfollow on the fediverse.
    const followId = await peer.follow(actorId);
    await peer.waitFor((activity) => activity.type === 'Accept');
    await alice.agent.follow(did);

    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set(auth(editor))
      .send({ kind: 'note', text: 'What should we measure next', status: 'published' })
      .expect(201);
    postId = post.body.id;
    const noteId = `${actorId}/posts/${postId}`;
    const [publication] = await eventually(async () => {
      const found = await rows(`SELECT remote_refs FROM publication WHERE post_id = $1 AND protocol = 'atproto' AND state = 'published'`, [
        postId,
      ]);
      return found.length ? found : null;
    }, 60_000);
    const record = (publication.remote_refs as { parts: Ref[] }).parts[0];
    await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === noteId);

    // The fediverse: a like that is undone, a like, a boost, a reply.
    const undone = await peer.like(noteId, actorId);
    await eventually(() => stored(undone));
    await peer.send(
      actorId,
      new Undo({
        id: peer.nextId('undos'),
        actor: new URL(peer.actorId),
        object: new Like({ id: new URL(undone), actor: new URL(peer.actorId), object: new URL(noteId) }),
      }),
    );
    await eventually(() => stored(undone, true));
    const like = await peer.like(noteId, actorId);
    const boost = peer.nextId('announces');
    await peer.send(actorId, new Announce({ id: boost, actor: new URL(peer.actorId), object: new URL(noteId), to: PUBLIC_COLLECTION }));
    const reply = await peer.reply(noteId, actorId, '<p>Measure the replies too</p>');
    await eventually(async () => (await stored(like)) && (await stored(boost.href)) && (await stored(reply)));

    // Emoji reactions: Pleroma's EmojiReact, undone again, and Misskey's Like carrying an emoji.
    const reacted = peer.nextId('reacts');
    const starred = peer.nextId('likes');
    await peer.send(actorId, new EmojiReact({ id: reacted, actor: new URL(peer.actorId), object: new URL(noteId), content: '🎉' }));
    await peer.send(actorId, new Like({ id: starred, actor: new URL(peer.actorId), object: new URL(noteId), content: '⭐' }));
    await eventually(async () => (await stored(reacted.href)) && (await stored(starred.href)));
    await peer.send(
      actorId,
      new Undo({
        id: peer.nextId('undos'),
        actor: new URL(peer.actorId),
        object: new EmojiReact({ id: reacted, actor: new URL(peer.actorId), object: new URL(noteId), content: '🎉' }),
      }),
    );
    await eventually(() => stored(reacted.href, true));

    // Bluesky: alice likes, reposts, quotes and replies; the poll stores the AppView's counts.
    await eventually(async () => {
      await network.settle();
      return (await alice.agent.app.bsky.feed.getPosts({ uris: [record.uri] })).data.posts.length > 0;
    }, 60_000);
    await alice.agent.like(record.uri, record.cid);
    await alice.agent.repost(record.uri, record.cid);
    await alice.agent.post({ text: 'Worth reading', embed: { $type: 'app.bsky.embed.record', record } });
    await alice.agent.post({ text: 'Measure the quotes', reply: { root: record, parent: record } });
    await eventually(async () => {
      await network.settle();
      await hub.herald.app.get(NotificationIngest).poll(profileId);
      const [latest] = await rows(
        `SELECT likes, reposts, replies, quotes FROM metric_snapshot WHERE post_id = $1 AND protocol = 'atproto' ORDER BY taken_at DESC LIMIT 1`,
        [postId],
      );
      return latest && latest.likes === 1 && latest.reposts === 1 && latest.replies === 1 && latest.quotes === 1;
    }, 90_000);

    // A moderator answers the fediverse reply from the inbox.
    const [replyRow] = await rows(`SELECT id FROM interaction WHERE remote_id = $1`, [reply]);
    await hub.http.post(`/api/inbox/${replyRow.id}/answer`).set(auth(moderator)).send({ text: 'We will, thanks.' }).expect(201);

    await peer.unfollow(actorId, followId);
    await eventually(
      async () => (await rows(`SELECT 1 FROM follower WHERE remote_actor_id = $1 AND until IS NOT NULL`, [peer.actorId])).length > 0,
    );
  }, START_TIMEOUT_MS * 2);

  afterAll(async () => {
    await network?.close();
    await peer?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('gives a post its figures on each network, withdrawn likes and reactions excluded', async () => {
    const response = await api(`posts/${postId}`).expect(200);
    expect(response.body.networks).toEqual({
      activitypub: { likes: 1, reposts: 1, replies: 1, quotes: 0, reactions: 1, total: 4 },
      atproto: { likes: 1, reposts: 1, replies: 1, quotes: 1, reactions: 0, total: 4 },
    });
    expect(response.body.total).toBe(8);
  });

  it('shows the same numbers in the period report, the console, the public page and the exports', async () => {
    const report = await api(`posts?${period}&sort=engagement&limit=5`).expect(200);
    const top = report.body.posts[0];
    expect(top.postId).toBe(postId);
    const figures = top.networks as Record<string, NetworkFigures>;

    // The console's reports page (analyst session) shows the per-network totals in its table.
    const login = await request(hub.url)
      .post('/api/auth/login')
      .send({ email: 'analyst@example.test', password: TEST_PASSWORD })
      .expect(200);
    const page = await request(hub.url)
      .get(`/admin/profiles/${profileId}/reports?${period}`)
      .set('Cookie', login.headers['set-cookie'] as unknown as string[])
      .expect(200);
    const row = page.text.match(new RegExp(`<tr data-post-id="${postId}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
    const cells = [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((match) => match[1]);
    expect(cells).toEqual([today, String(figures.activitypub.total), String(figures.atproto.total), String(top.total)]);
    // Its totals table: the emoji reaction that stayed, on the fediverse only.
    const totals = page.text.match(/<table class="report" id="report-networks">([\s\S]*?)<\/table>/)?.[1] ?? '';
    const reactionsRow = totals.match(/<th scope="row">Emoji reactions<\/th>([\s\S]*?)<\/tr>/)?.[1] ?? '';
    expect([...reactionsRow.matchAll(/<td>([^<]*)<\/td>/g)].map((match) => match[1])).toEqual(['1', '0', '1']);
    expect(page.text).toMatch(/<svg\s+role="img"/);
    expect(page.text).toContain(`/api/profiles/${profileId}/reports/export?report=posts&amp;format=csv&amp;from=${today}`);
    expect(await htmlProblems(page.text)).toEqual([]);

    // The public page words them as replies, reposts (quotes included) and likes (emoji reactions included), over both networks.
    const sum = (figure: (typeof FIGURES)[number]) => figures.activitypub[figure] + figures.atproto[figure];
    const publicPage = (await hub.http.get(`/@reach/posts/${postId}`).expect(200)).text;
    expect(publicPage).toContain(
      `<li><strong>${sum('replies')}</strong> replies</li><li><strong>${sum('reposts') + sum('quotes')}</strong> reposts</li><li><strong>${sum('likes') + sum('reactions')}</strong> likes</li>`,
    );

    // CSV and JSON Lines: a row per post and network, the same figures.
    const csv = await api(`export?report=posts&format=csv&${period}`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="reach-posts-${today}-${today}.csv"`);
    const [header, ...lines] = csv.text.trim().split('\n');
    expect(header).toBe('post_id,published_at,published_date,network,likes,reposts,replies,quotes,reactions,total,label');
    const csvRows = lines.map((line) => line.split(',')).filter((cells) => cells[0] === postId);
    expect(csvRows.map((cells) => [cells[3], ...cells.slice(4, 10).map(Number)])).toEqual(
      ['activitypub', 'atproto'].map((name) => [
        name,
        ...[...FIGURES, 'total'].map((figure) => figures[name][figure as keyof NetworkFigures]),
      ]),
    );
    const jsonl = await api(`export?report=posts&format=jsonl&${period}`).expect(200);
    const objects = jsonl.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((object) => object.post_id === postId);
    for (const object of objects) expect(object).toMatchObject({ ...figures[object.network], label: 'What should we measure next' });

    // The interactions export holds the counted fediverse interactions themselves.
    const interactions = await api(`export?report=interactions&format=jsonl&${period}`).expect(200);
    const kinds = interactions.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((object) => object.post_id === postId)
      .map((object) => object.figure)
      .sort();
    expect(kinds).toEqual(['likes', 'reactions', 'replies', 'reposts']);
    // The same rows as CSV: the reaction is stored as a like that carries an emoji, and counts as a reaction.
    const interactionsCsv = await api(`export?report=interactions&format=csv&${period}`).expect(200);
    const counted = interactionsCsv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => cells[6] === postId)
      .map((cells) => `${cells[4]}:${cells[5]}`)
      .sort();
    expect(counted).toEqual(['like:likes', 'like:reactions', 'reply:replies', 'repost:reposts']);
  });

  it('totals and compares the networks for the period, with follows and unfollows', async () => {
    const summary = await api(`summary?${period}`).expect(200);
    const byNetwork = Object.fromEntries(summary.body.networks.map((each: { network: string }) => [each.network, each]));
    expect(byNetwork.activitypub).toMatchObject({ likes: 1, reposts: 1, replies: 1, reactions: 1, total: 4 });
    expect(byNetwork.activitypub.followers).toEqual({ atStart: 0, atEnd: 0, follows: 1, unfollows: 1 });
    expect(byNetwork.atproto).toMatchObject({ likes: 1, reposts: 1, replies: 1, quotes: 1, total: 4, posts: 1 });
    expect(byNetwork.atproto.followers).toEqual({ atStart: 0, atEnd: 1, follows: 1, unfollows: 0 });
    expect(summary.body.together).toMatchObject({ reactions: 1, total: 8 });

    const followers = await api(`followers?${period}`).expect(200);
    expect(followers.body.days).toEqual([
      {
        date: today,
        networks: { activitypub: { followers: 0, follows: 1, unfollows: 1 }, atproto: { followers: 1, follows: 1, unfollows: 0 } },
        together: { followers: 1, follows: 2, unfollows: 1 },
      },
    ]);
    const csv = await api(`export?report=followers&format=csv&${period}`).expect(200);
    expect(csv.text.trim().split('\n')).toEqual([
      'date,network,followers,follows,unfollows',
      `${today},activitypub,0,1,1`,
      `${today},atproto,1,1,0`,
    ]);
  });

  it('measures moderation response times by moderator', async () => {
    const report = await api(`moderation?${period}`).expect(200);
    expect(report.body.everyone.answered).toBe(1);
    expect(report.body.everyone.medianSeconds).toBeGreaterThanOrEqual(0);
    expect(report.body.moderators).toHaveLength(1);
    expect(report.body.moderators[0]).toMatchObject({ answered: 1 });
    // Alice's Bluesky reply and quote still wait.
    expect(report.body.unanswered).toBe(2);
  });

  it('documents the reports and the export columns in OpenAPI', async () => {
    const docs = await hub.http.get('/api/docs-json').expect(200);
    const exportPath = docs.body.paths['/api/profiles/{profileId}/reports/export'].get;
    expect(exportPath.description).toContain('`published_date`');
    expect(exportPath.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'timeZone', 'network', 'report', 'format']),
    );
    for (const report of ['summary', 'posts', 'followers', 'moderation'])
      expect(docs.body.paths[`/api/profiles/{profileId}/reports/${report}`]).toBeDefined();
  });

  it('refuses a bad period or time zone with a clear error, and other roles', async () => {
    const zone = await api(`summary?from=${today}&to=${today}&timeZone=Mars/Olympus_Mons`).expect(400);
    expect(zone.body.message).toContain('timeZone');
    const order = await api(`summary?from=2026-02-02&to=2026-02-01`).expect(400);
    expect(order.body.message).toContain('to');
    await api(`export?report=everything&${period}`).expect(400);
    await hub.http.get(`/api/profiles/${profileId}/reports/summary?${period}`).set(auth(moderator)).expect(403);
  });
});
