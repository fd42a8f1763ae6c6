import { interactionFromNotification } from '../notifications/interaction-from-notification.js';
import { concernsOf, notificationFrom, type CreatedRecord } from './notifications-from-record.js';

const HUB = 'did:plc:hub';
const OTHER_HUB = 'did:plc:hub2';
const ours = { uri: `at://${HUB}/app.bsky.feed.post/3kpost`, cid: 'bafyreifobpwj5hjtyvrvjplbfsfgaeeeamspyw4xq3haugfws2zqjmets4' };
const theirs = { uri: 'at://did:plc:carol/app.bsky.feed.post/3kcarol', cid: ours.cid };
const createdAt = '2026-11-22T10:00:00.000Z';
const isOurs = (did: string) => did === HUB || did === OTHER_HUB;

function created(collection: string, record: Record<string, unknown>, repo = 'did:plc:bob'): CreatedRecord {
  return {
    uri: `at://${repo}/${collection}/3kbob`,
    cid: 'bafyreicxqkyynb7gz6feql6dfuw3lmmw3cbbyrmkbqdjy2wphfjui3t3wu',
    repo,
    collection,
    record: { $type: collection, createdAt, ...record },
  };
}

const post = (record: Record<string, unknown>) => created('app.bsky.feed.post', { text: 'hi', ...record });
const mention = (did: string) => ({
  index: { byteStart: 0, byteEnd: 4 },
  features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
});

describe('concernsOf', () => {
  it('finds a reply to one of our posts, as parent or as thread root', () => {
    expect(concernsOf(post({ reply: { root: ours, parent: ours } }), isOurs)).toEqual([
      { did: HUB, reason: 'reply', reasonSubject: ours.uri },
    ]);
    expect(concernsOf(post({ reply: { root: ours, parent: theirs } }), isOurs)).toEqual([
      { did: HUB, reason: 'reply', reasonSubject: ours.uri },
    ]);
  });

  it('finds quotes, with or without media', () => {
    const quote = post({ embed: { $type: 'app.bsky.embed.record', record: ours } });
    expect(concernsOf(quote, isOurs)).toEqual([{ did: HUB, reason: 'quote', reasonSubject: ours.uri }]);
    const withMedia = post({
      embed: {
        $type: 'app.bsky.embed.recordWithMedia',
        record: { $type: 'app.bsky.embed.record', record: ours },
        media: { $type: 'app.bsky.embed.external', external: { uri: 'https://example.com', title: 't', description: 'd' } },
      },
    });
    expect(concernsOf(withMedia, isOurs)).toEqual([{ did: HUB, reason: 'quote', reasonSubject: ours.uri }]);
  });

  it('gives each account one reason, a mention before a quote before a reply, as the AppView notifies', () => {
    const both = post({
      facets: [mention(HUB)],
      reply: { root: ours, parent: ours },
      embed: { $type: 'app.bsky.embed.record', record: ours },
    });
    expect(concernsOf(both, isOurs)).toEqual([{ did: HUB, reason: 'mention' }]);
    const two = post({ facets: [mention(OTHER_HUB)], reply: { root: ours, parent: ours } });
    expect(concernsOf(two, isOurs)).toEqual([
      { did: OTHER_HUB, reason: 'mention' },
      { did: HUB, reason: 'reply', reasonSubject: ours.uri },
    ]);
  });

  it('finds likes, reposts and follows of our accounts and posts', () => {
    expect(concernsOf(created('app.bsky.feed.like', { subject: ours }), isOurs)).toEqual([
      { did: HUB, reason: 'like', reasonSubject: ours.uri },
    ]);
    expect(concernsOf(created('app.bsky.feed.repost', { subject: ours }), isOurs)).toEqual([
      { did: HUB, reason: 'repost', reasonSubject: ours.uri },
    ]);
    expect(concernsOf(created('app.bsky.graph.follow', { subject: HUB }), isOurs)).toEqual([{ did: HUB, reason: 'follow' }]);
  });

  it('ignores records about others, our own records, and records that fail their lexicon', () => {
    expect(concernsOf(created('app.bsky.feed.like', { subject: theirs }), isOurs)).toEqual([]);
    expect(concernsOf(created('app.bsky.graph.follow', { subject: 'did:plc:carol' }), isOurs)).toEqual([]);
    expect(concernsOf(created('app.bsky.feed.like', { subject: ours }, HUB), isOurs)).toEqual([]);
    expect(concernsOf(created('app.bsky.feed.like', { subject: { uri: ours.uri } }), isOurs)).toEqual([]);
    expect(concernsOf(post({ text: 42, reply: { root: ours, parent: ours } }), isOurs)).toEqual([]);
    expect(
      concernsOf(created('app.bsky.feed.like', { subject: { uri: `at://${HUB}/app.bsky.graph.list/3k`, cid: ours.cid } }), isOurs),
    ).toEqual([]);
  });
});

describe('notificationFrom', () => {
  it('stores the interaction the notification poll would store for the same record', () => {
    const reply = post({ text: 'Thanks!', reply: { root: ours, parent: ours } });
    const [concern] = concernsOf(reply, isOurs);
    const author = { did: 'did:plc:bob', handle: 'bob.test', displayName: 'Bob' };
    const fromFirehose = interactionFromNotification(notificationFrom(reply, concern, author), 'profile-1', 'post-1');
    const fromPoll = interactionFromNotification(
      {
        uri: reply.uri,
        cid: reply.cid,
        author,
        reason: 'reply',
        reasonSubject: ours.uri,
        record: reply.record as never,
        isRead: false,
        indexedAt: createdAt,
      },
      'profile-1',
      'post-1',
    );
    expect(fromFirehose).toEqual(fromPoll);
    expect(fromFirehose).toMatchObject({ kind: 'reply', remoteId: reply.uri, text: 'Thanks!', targetPostId: 'post-1' });
  });
});
