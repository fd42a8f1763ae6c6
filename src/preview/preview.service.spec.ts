import type { Post } from '../posts/post.entity.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { PostPreview, ProtocolAdapter } from '../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../publishing/protocol-adapters.registry.js';
import { PreviewService } from './preview.service.js';

const profile = { id: 'p1', handle: 'eu', domain: 'ec.example.eu', protocols: ['activitypub', 'atproto'] } as Profile;

/** An adapter that renders a post by a rule given in the test and records what it was asked. */
function adapter(protocol: ProtocolAdapter['protocol'], render: (post: Post) => PostPreview): ProtocolAdapter & { seen: Post[] } {
  const seen: Post[] = [];
  return {
    protocol,
    seen,
    syncProfile: async () => undefined,
    publish: async () => ({ remoteId: 'x' }),
    update: async () => ({ remoteId: 'x' }),
    retract: async () => undefined,
    preview: async (_profile, post) => {
      seen.push(post);
      return render(post);
    },
  };
}

describe('PreviewService', () => {
  const profiles = { findById: async (id: string) => (id === profile.id ? profile : null) } as unknown as ProfilesRepository;

  it('asks every enabled network for its rendering of the unsaved post', async () => {
    const registry = new ProtocolAdapterRegistry();
    const fediverse = adapter('activitypub', (post) => ({ protocol: 'activitypub', parts: [{ text: post.text }], warnings: [] }));
    const bluesky = adapter('atproto', (post) => ({
      protocol: 'atproto',
      parts: [{ text: post.text.slice(0, 3), graphemes: 3, limit: 300 }],
      warnings: [],
    }));
    registry.register(fediverse);
    registry.register(bluesky);
    const result = await new PreviewService(profiles, registry).preview('p1', { kind: 'note', text: 'Hello world', language: 'en' });
    expect(result).toEqual({
      previews: [
        { protocol: 'activitypub', parts: [{ text: 'Hello world' }], warnings: [] },
        { protocol: 'atproto', parts: [{ text: 'Hel', graphemes: 3, limit: 300 }], warnings: [] },
      ],
      unavailable: [],
    });
    expect(fediverse.seen[0]).toMatchObject({
      profileId: 'p1',
      kind: 'note',
      text: 'Hello world',
      language: 'en',
      status: 'draft',
      attachments: [],
      threadParentId: null,
    });
  });

  it('names networks without an adapter, and reports one that fails without hiding the other', async () => {
    const registry = new ProtocolAdapterRegistry();
    registry.register(
      adapter('activitypub', () => {
        throw new Error('bad markup');
      }),
    );
    const result = await new PreviewService(profiles, registry).preview('p1', { kind: 'note', text: 'x' });
    expect(result).toEqual({
      previews: [{ protocol: 'activitypub', parts: [], warnings: ['Preview failed: bad markup'] }],
      unavailable: ['atproto'],
    });
  });

  it('refuses an unknown profile', async () => {
    await expect(new PreviewService(profiles, new ProtocolAdapterRegistry()).preview('nope', { kind: 'note' })).rejects.toThrow(
      /Profile nope/,
    );
  });
});
