import { Temporal } from '@js-temporal/polyfill';
import { Endpoints, Image, Note, Person } from '@fedify/vocab';
import { PUBLIC_COLLECTION } from '@fedify/vocab';
import {
  acctOf,
  audienceFrom,
  authorFromActor,
  followerFromActor,
  interactionFromPostObject,
  reactionFrom,
} from './interaction-from-activity.js';

const actor = new Person({
  id: new URL('https://social.example/users/ana'),
  preferredUsername: 'ana',
  name: 'Ana',
  url: new URL('https://social.example/@ana'),
  icon: new Image({ url: new URL('https://social.example/ana.png') }),
  inbox: new URL('https://social.example/users/ana/inbox'),
  endpoints: new Endpoints({ sharedInbox: new URL('https://social.example/inbox') }),
});

describe('…From… mappers (wire → canonical)', () => {
  it('describes a remote author by acct, name, avatar, profile URL and domain', async () => {
    expect(acctOf(actor)).toBe('ana@social.example');
    expect(await authorFromActor(actor)).toEqual({
      id: 'https://social.example/users/ana',
      handle: 'ana@social.example',
      name: 'Ana',
      avatarUrl: 'https://social.example/ana.png',
      url: 'https://social.example/@ana',
      domain: 'social.example',
    });
  });

  it('keeps inbox and shared inbox of a follower, and the Follow id to match an Undo', async () => {
    const follower = followerFromActor('p1', actor, await authorFromActor(actor), 'https://social.example/follows/1');
    expect(follower).toMatchObject({
      profileId: 'p1',
      protocol: 'activitypub',
      remoteActorId: 'https://social.example/users/ana',
      inboxUrl: 'https://social.example/users/ana/inbox',
      sharedInboxUrl: 'https://social.example/inbox',
      domain: 'social.example',
      followId: 'https://social.example/follows/1',
    });
  });

  it('turns a reply into an interaction that carries what answering needs', async () => {
    const note = new Note({
      id: new URL('https://social.example/notes/9'),
      attribution: actor.id,
      content: '<p>Yes!</p>',
      replyTarget: new URL('https://hub.example/@eu/posts/p1'),
      published: Temporal.Instant.from('2026-11-22T10:00:00Z'),
    });
    const received = interactionFromPostObject(note, actor, await authorFromActor(actor), {
      profileId: 'profile',
      postId: 'post',
      kind: 'reply',
    });
    expect(received).toMatchObject({
      profileId: 'profile',
      protocol: 'activitypub',
      kind: 'reply',
      remoteId: 'https://social.example/notes/9',
      targetPostId: 'post',
      parentRemoteId: 'https://hub.example/@eu/posts/p1',
      html: '<p>Yes!</p>',
      url: 'https://social.example/notes/9',
      createdAt: new Date('2026-11-22T10:00:00Z'),
      replyRefs: {
        objectId: 'https://social.example/notes/9',
        authorId: 'https://social.example/users/ana',
        authorAcct: 'ana@social.example',
        authorInbox: 'https://social.example/users/ana/inbox',
        authorSharedInbox: 'https://social.example/inbox',
      },
    });
  });

  describe('audienceFrom', () => {
    const author = { followersId: new URL('https://social.example/users/ana/followers') };
    const us = new URL('https://hub.example/@eu');
    const note = (to: URL[], cc: URL[]) => new Note({ tos: to, ccs: cc });

    it('reads Public in to as public, Public in cc as unlisted', () => {
      expect(audienceFrom(note([PUBLIC_COLLECTION], [author.followersId]), author)).toBe('public');
      expect(audienceFrom(note([author.followersId], [PUBLIC_COLLECTION]), author)).toBe('unlisted');
    });

    it("reads the author's followers without Public as followers-only, and named actors only as direct", () => {
      expect(audienceFrom(note([author.followersId], [us]), author)).toBe('followers');
      expect(audienceFrom(note([us], []), author)).toBe('direct');
      expect(audienceFrom(note([], []), author)).toBe('direct');
    });
  });

  describe('reactionFrom', () => {
    it('keeps a unicode emoji and a custom emoji with its image; a plain like or text is no reaction', () => {
      expect(reactionFrom('👍', [])).toEqual({ emoji: '👍', imageUrl: null });
      expect(reactionFrom('🇪🇺', [])).toEqual({ emoji: '🇪🇺', imageUrl: null });
      expect(reactionFrom(':blobcat:', [{ name: ':blobcat:', imageUrl: 'https://mk.example/blobcat.png' }])).toEqual({
        emoji: ':blobcat:',
        imageUrl: 'https://mk.example/blobcat.png',
      });
      expect(reactionFrom(':blobcat@mk.example:', [{ name: 'blobcat', imageUrl: 'https://mk.example/b.png' }])).toEqual({
        emoji: ':blobcat@mk.example:',
        imageUrl: 'https://mk.example/b.png',
      });
      expect(reactionFrom(null, [])).toBeNull();
      expect(reactionFrom('I like this', [])).toBeNull();
      expect(reactionFrom('<img src=x>', [])).toBeNull();
    });
  });
});
