import type { Post } from '../../src/posts/post.entity.js';
import type { PostPreview, ProtocolAdapter } from '../../src/publishing/protocol-adapter.js';

/**
 * Only for running the console's browser test on a branch without the real
 * protocol adapters (HERALD_STAND_IN_ADAPTERS=1). They write nothing anywhere:
 * publish returns a made-up id. Never used by default, so a missing real
 * adapter still fails the test.
 */
export function standInAdapters(): ProtocolAdapter[] {
  const graphemes = (text: string) => [...new Intl.Segmenter().segment(text)].length;
  const adapter = (protocol: ProtocolAdapter['protocol'], preview: (post: Post) => PostPreview): ProtocolAdapter => ({
    protocol,
    syncProfile: async () => undefined,
    publish: async ({ post }) => ({ remoteId: `stand-in:${protocol}:${post.id}` }),
    update: async ({ post }) => ({ remoteId: `stand-in:${protocol}:${post.id}` }),
    retract: async () => undefined,
    preview: async (_profile, post) => preview(post),
  });
  return [
    adapter('activitypub', (post) => ({ protocol: 'activitypub', parts: [{ text: post.text, html: `<p>${post.text.replace(/[<&]/g, '')}</p>` }], warnings: [] })),
    adapter('atproto', (post) => {
      const parts: PostPreview['parts'] = [];
      let rest = post.text;
      while (rest.length > 0) {
        const chunk = rest.length <= 290 ? rest : rest.slice(0, rest.lastIndexOf(' ', 290) > 0 ? rest.lastIndexOf(' ', 290) : 290);
        parts.push({ text: chunk.trim(), graphemes: graphemes(chunk.trim()), limit: 300 });
        rest = rest.slice(chunk.length).trim();
      }
      return { protocol: 'atproto', parts, warnings: [] };
    }),
  ];
}
