import { AdapterError } from '../../publishing/protocol-adapter.js';
import { atprotoRefsOf, atprotoReplyRefsOf } from './atproto-refs.js';

const root = { uri: 'at://did:plc:hub/app.bsky.feed.post/3kroot', cid: 'bafyroot' };
const part = { uri: 'at://did:plc:hub/app.bsky.feed.post/3kpart', cid: 'bafypart' };

describe('atprotoRefsOf', () => {
  it('reads the record keys reserved before writing, and later the written parts and their root', () => {
    expect(atprotoRefsOf({ id: 'pub-1', remoteRefs: { rkeys: ['3kroot22222aa'] } })).toEqual({ rkeys: ['3kroot22222aa'] });
    const written = { rkeys: ['3kroot22222aa', '3kpart22222aa'], parts: [root, part], root };
    expect(atprotoRefsOf({ id: 'pub-1', remoteRefs: written })).toEqual(written);
  });

  it('reads a publication that never went out as having no refs', () => {
    expect(atprotoRefsOf({ id: 'pub-1', remoteRefs: {} })).toEqual({});
  });

  it('fails permanently, naming the publication and the field, on a row it cannot read', () => {
    const read = () => atprotoRefsOf({ id: 'pub-1', remoteRefs: { rkeys: 'abc', parts: [{ uri: 'https://x', cid: 'c' }] } });
    expect(read).toThrow(AdapterError);
    expect(read).toThrow(expect.objectContaining({ failureClass: 'permanent' }));
    expect(read).toThrow(/^atproto publication pub-1 has unreadable references: rkeys: .*; parts\.0\.uri: /);
  });
});

describe('atprotoReplyRefsOf', () => {
  it('reads the root and parent an answer carries', () => {
    expect(atprotoReplyRefsOf({ id: 'int-1', replyRefs: { root, parent: part } })).toEqual({ root, parent: part });
  });

  it('fails permanently when an interaction has no reply references (a like, or a damaged row)', () => {
    const read = () => atprotoReplyRefsOf({ id: 'int-1', replyRefs: { root } });
    expect(read).toThrow(expect.objectContaining({ name: 'AdapterError', failureClass: 'permanent' }));
    expect(read).toThrow(/^atproto interaction int-1 has unreadable references: parent: /);
  });
});
