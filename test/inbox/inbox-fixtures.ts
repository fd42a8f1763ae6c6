import { randomUUID } from 'node:crypto';
import type { InteractionReceived } from '../../src/inbox/interaction-received.js';
import type { TestHerald } from '../support/test-herald.js';

/** Creates a profile through the admin API and returns its id. */
export async function createProfile(hub: TestHerald, adminToken: string, handle = 'eu'): Promise<string> {
  const response = await hub.http
    .post('/api/profiles')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ handle, domain: `${handle}.social.example`, displayName: `Profile ${handle}` })
    .expect(201);
  return response.body.id;
}

/** A reply as the ActivityPub adapter hands it over (wire names already mapped away). */
export function apReply(profileId: string, overrides: Partial<InteractionReceived> = {}): InteractionReceived {
  const id = randomUUID();
  return {
    profileId,
    protocol: 'activitypub',
    kind: 'reply',
    remoteId: `https://mastodon.example/users/alice/statuses/${id}`,
    author: {
      id: 'https://mastodon.example/users/alice',
      handle: '@alice@mastodon.example',
      name: 'Alice',
      url: 'https://mastodon.example/@alice',
      avatarUrl: 'https://mastodon.example/avatars/alice.png',
    },
    html: '<p>Hello from the fediverse</p>',
    url: `https://mastodon.example/@alice/${id}`,
    replyRefs: { objectId: `https://mastodon.example/users/alice/statuses/${id}` },
    ...overrides,
  };
}

/** A reply as the AT Protocol adapter hands it over. */
export function atReply(profileId: string, overrides: Partial<InteractionReceived> = {}): InteractionReceived {
  const rkey = randomUUID().replace(/-/g, '').slice(0, 13);
  const uri = `at://did:plc:bob/app.bsky.feed.post/${rkey}`;
  return {
    profileId,
    protocol: 'atproto',
    kind: 'reply',
    remoteId: uri,
    author: { id: 'did:plc:bob', handle: 'bob.bsky.example', name: 'Bob', url: 'https://bsky.example/profile/bob.bsky.example' },
    text: 'Hello from Bluesky',
    url: `https://bsky.example/profile/bob.bsky.example/post/${rkey}`,
    replyRefs: {
      root: { uri: 'at://did:plc:herald/app.bsky.feed.post/root', cid: 'bafyroot' },
      parent: { uri: 'at://did:plc:herald/app.bsky.feed.post/root', cid: 'bafyroot' },
    },
    ...overrides,
  };
}
