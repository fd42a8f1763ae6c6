import { AdapterError } from '../../publishing/protocol-adapter.js';
import { activityPubRefsOf, activityPubReplyRefsOf } from './activitypub-refs.js';

const answered = {
  objectId: 'https://social.example/notes/9',
  authorId: 'https://social.example/users/ana',
  authorAcct: 'ana@social.example',
  authorInbox: 'https://social.example/users/ana/inbox',
  authorSharedInbox: null,
};

describe('activityPubRefsOf', () => {
  it('reads the settled mentions and inReplyTo, with the time of the last edit once there was one', () => {
    const settled = { mentions: [{ acct: 'ana@social.example', href: answered.authorId }], inReplyTo: null };
    expect(activityPubRefsOf({ id: 'pub-1', remoteRefs: settled })).toEqual(settled);
    const edited = { ...settled, inReplyTo: answered.objectId, updatedAt: '2026-11-22T10:00:00.000Z' };
    expect(activityPubRefsOf({ id: 'pub-1', remoteRefs: edited })).toEqual(edited);
  });

  it('fails permanently, naming the publication and the field, on a row it cannot read', () => {
    const read = () => activityPubRefsOf({ id: 'pub-1', remoteRefs: { mentions: [{ acct: 'ana' }], updatedAt: 'yesterday' } });
    expect(read).toThrow(AdapterError);
    expect(read).toThrow(expect.objectContaining({ failureClass: 'permanent' }));
    expect(read).toThrow(/^activitypub publication pub-1 has unreadable references: mentions\.0\.href: .*; updatedAt: /);
  });
});

describe('activityPubReplyRefsOf', () => {
  it('reads the object an answer replies to and where its author reads', () => {
    expect(activityPubReplyRefsOf({ id: 'int-1', replyRefs: answered })).toEqual(answered);
  });

  it('fails permanently on an interaction without them', () => {
    const read = () => activityPubReplyRefsOf({ id: 'int-1', replyRefs: {} });
    expect(read).toThrow(expect.objectContaining({ name: 'AdapterError', failureClass: 'permanent' }));
    expect(read).toThrow(/^activitypub interaction int-1 has unreadable references: objectId: .*; authorId: /);
  });
});
