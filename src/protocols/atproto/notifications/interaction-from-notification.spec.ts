import { followFromProfileView, interactionFromNotification, subjectUriOf, type Notification } from './interaction-from-notification.js';

const ours = { uri: 'at://did:plc:hub/app.bsky.feed.post/3kpost', cid: 'bafyreifobpwj5hjtyvrvjplbfsfgaeeeamspyw4xq3haugfws2zqjmets4' };
const author = { did: 'did:plc:bob', handle: 'bob.test', displayName: 'Bob' };
const createdAt = '2026-11-22T10:00:00.000Z';

/** A notification as listNotifications returns it, about one of Bob's records. */
function notification(reason: string, collection: string, record: Notification['record']): Notification {
  return {
    uri: `at://did:plc:bob/${collection}/3k${reason}`,
    cid: 'bafyreicxqkyynb7gz6feql6dfuw3lmmw3cbbyrmkbqdjy2wphfjui3t3wu',
    author,
    reason,
    reasonSubject: ours.uri,
    record,
    isRead: false,
    indexedAt: '2026-11-22T10:00:01.000Z',
  };
}

const like = notification('like', 'app.bsky.feed.like', { $type: 'app.bsky.feed.like', subject: ours, createdAt });

describe('interactionFromNotification', () => {
  it('turns a reply into an interaction that can be answered natively', () => {
    const reply = notification('reply', 'app.bsky.feed.post', {
      $type: 'app.bsky.feed.post',
      text: 'Thanks <b>!</b>',
      reply: { root: ours, parent: ours },
      createdAt,
    });
    expect(subjectUriOf(reply)).toBe(ours.uri);
    expect(interactionFromNotification(reply, 'profile-1', 'post-1')).toMatchSnapshot();
  });

  it('keeps a like without text or reply refs', () => {
    expect(interactionFromNotification(like, 'profile-1', 'post-1')).toMatchObject({
      kind: 'like',
      remoteId: 'at://did:plc:bob/app.bsky.feed.like/3klike',
      text: null,
      replyRefs: {},
      targetPostId: 'post-1',
      createdAt: new Date(createdAt),
    });
  });

  it("takes the author's handle as the domain blocks apply to, unless the handle is invalid", () => {
    const domainOf = (handle: string) =>
      interactionFromNotification({ ...like, author: { ...author, handle } }, 'profile-1', null)?.author.domain;
    expect(domainOf('Bob.Example.COM')).toBe('bob.example.com');
    expect(domainOf('handle.invalid')).toBeNull();
    expect(domainOf('not a handle')).toBeNull();
  });

  it('finds the quoted post of a quote with media', () => {
    const quote = notification('quote', 'app.bsky.feed.post', {
      $type: 'app.bsky.feed.post',
      text: 'look',
      embed: {
        $type: 'app.bsky.embed.recordWithMedia',
        record: { $type: 'app.bsky.embed.record', record: ours },
        media: { $type: 'app.bsky.embed.external', external: { uri: 'https://example.org/', title: 'x', description: '' } },
      },
      createdAt,
    });
    expect(subjectUriOf({ ...quote, reasonSubject: undefined })).toBe(ours.uri);
    expect(interactionFromNotification(quote, 'profile-1', 'post-1')).toMatchObject({ kind: 'quote', text: 'look' });
  });

  it('ignores kinds Herald does not track, malformed input, and records that fail their lexicon', () => {
    expect(interactionFromNotification({ ...like, reason: 'starterpack-joined' }, 'p', null)).toBeNull();
    expect(interactionFromNotification({ ...like, uri: 'https://evil' }, 'p', null)).toBeNull();
    expect(interactionFromNotification({ ...like, record: { subject: ours, createdAt } }, 'p', null)).toBeNull();
    const textless = notification('reply', 'app.bsky.feed.post', { $type: 'app.bsky.feed.post', text: 7, createdAt });
    expect(interactionFromNotification(textless, 'p', null)).toBeNull();
  });
});

describe('followFromProfileView', () => {
  it('makes the follow a missed notification would have made, from the follower list', () => {
    const followUri = 'at://did:plc:bob/app.bsky.graph.follow/3kfollow';
    expect(followFromProfileView(author, followUri, 'profile-1')).toEqual({
      profileId: 'profile-1',
      protocol: 'atproto',
      kind: 'follow',
      remoteId: followUri,
      author: {
        id: 'did:plc:bob',
        handle: 'bob.test',
        name: 'Bob',
        avatarUrl: null,
        url: 'https://bsky.app/profile/did:plc:bob',
        domain: 'bob.test',
      },
      targetPostId: null,
    });
    expect(followFromProfileView(author, 'https://evil', 'profile-1')).toBeNull();
  });
});
