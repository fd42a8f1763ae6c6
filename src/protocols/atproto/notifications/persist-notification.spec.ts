import { persistNotification, subjectUriOf, type BskyNotification } from './persist-notification.js';

const ours = { uri: 'at://did:plc:hub/app.bsky.feed.post/3kpost', cid: 'bafyours' };
const author = { did: 'did:plc:bob', handle: 'bob.test', displayName: 'Bob' };

describe('persistNotification', () => {
  it('turns a reply into an interaction that can be answered natively', () => {
    const notification: BskyNotification = {
      uri: 'at://did:plc:bob/app.bsky.feed.post/3kreply',
      cid: 'bafyreply',
      author,
      reason: 'reply',
      reasonSubject: ours.uri,
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Thanks <b>!</b>',
        reply: { root: ours, parent: ours },
        createdAt: '2026-11-22T10:00:00.000Z',
      },
      indexedAt: '2026-11-22T10:00:01.000Z',
    };
    expect(subjectUriOf(notification)).toBe(ours.uri);
    expect(persistNotification(notification, 'profile-1', 'post-1')).toMatchSnapshot();
  });

  it('keeps a like without text or reply refs', () => {
    const like = persistNotification(
      {
        uri: 'at://did:plc:bob/app.bsky.feed.like/3klike',
        cid: 'bafylike',
        author,
        reason: 'like',
        reasonSubject: ours.uri,
        record: { subject: ours },
        indexedAt: '2026-11-22T10:00:01.000Z',
      },
      'profile-1',
      'post-1',
    );
    expect(like).toMatchObject({
      kind: 'like',
      remoteId: 'at://did:plc:bob/app.bsky.feed.like/3klike',
      text: null,
      replyRefs: {},
      targetPostId: 'post-1',
    });
  });

  it("takes the author's handle as the domain blocks apply to, unless the handle is invalid", () => {
    const like = (handle: string) =>
      persistNotification(
        {
          uri: 'at://did:plc:bob/app.bsky.feed.like/3klike',
          cid: 'bafylike',
          author: { ...author, handle },
          reason: 'like',
          reasonSubject: ours.uri,
          record: {},
          indexedAt: '2026-11-22T10:00:01.000Z',
        },
        'profile-1',
        null,
      )?.author.domain;
    expect(like('Bob.Example.COM')).toBe('bob.example.com');
    expect(like('handle.invalid')).toBeNull();
    expect(like('not a handle')).toBeNull();
  });

  it('finds the quoted post of a quote with media', () => {
    const quote: BskyNotification = {
      uri: 'at://did:plc:bob/app.bsky.feed.post/3kquote',
      cid: 'bafyq',
      author,
      reason: 'quote',
      indexedAt: 'x',
      record: { text: 'look', embed: { $type: 'app.bsky.embed.recordWithMedia', record: { record: ours }, media: {} } },
    };
    expect(subjectUriOf(quote)).toBe(ours.uri);
  });

  it('ignores kinds Herald does not track and malformed input', () => {
    expect(
      persistNotification({ uri: 'at://x/y/z', cid: 'c', author, reason: 'starterpack-joined', record: {}, indexedAt: 'x' }, 'p', null),
    ).toBeNull();
    expect(
      persistNotification({ uri: 'https://evil', cid: 'c', author, reason: 'like', record: {}, indexedAt: 'x' }, 'p', null),
    ).toBeNull();
  });
});
