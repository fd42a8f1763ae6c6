import { jest } from '@jest/globals';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(60_000);

const AP = 'application/activity+json';

/**
 * An edit of a published post on a profile that requires approval, through the real path:
 * a Herald (web and worker in one) and an independent Fedify server following it over loopback.
 * The follower sees nothing change until an approver approves the edit, then receives the Update.
 */
describe('an edit waiting for approval, seen from a federated peer', () => {
  let hub: TestHerald;
  let peer: FediversePeer;
  let admin: string;
  let editor: string;
  let approver: string;
  let profileId: string;
  let actorId: string;

  beforeAll(async () => {
    [hub, peer] = await Promise.all([startFederatedTestHerald('ap-edits', '127.0.0.2'), startFediversePeer('127.0.0.3')]);
    [admin, editor, approver] = [await hub.login(['admin']), await hub.login(['editor']), await hub.login(['approver'])];
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'council', domain: 'council.example.eu', displayName: 'Council', protocols: ['activitypub'], requiresApproval: true })
      .expect(201);
    profileId = profile.body.id;
    actorId = `${hub.url}/@council`;
    const followId = await peer.follow(actorId);
    await peer.waitFor((activity) => activity.type === 'Accept' && activity.objectId === followId);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await peer?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('sends the Update with the new text only once an approver approves the edit', async () => {
    // Submitted by the editor, approved and so published by the approver.
    const draft = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'The summit is on 12 June.', status: 'in_review' })
      .expect(201);
    const postId = draft.body.id as string;
    await hub.http.post(`/api/posts/${postId}/approve`).set('Authorization', `Bearer ${approver}`).send({}).expect(200);
    const objectId = `${actorId}/posts/${postId}`;
    const create = await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === objectId);
    expect((create.json.object as { content: string }).content).toContain('The summit is on 12 June.');

    const edit = await hub.http
      .patch(`/api/posts/${postId}`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ text: 'The summit moved to 14 June.' })
      .expect(200);
    expect(edit.body).toMatchObject({ text: 'The summit is on 12 June.', pendingRevision: { state: 'pending' } });
    // Every job there is has run: had the edit gone out, the Update would have reached the peer by now.
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(peer.received.filter((activity) => activity.type === 'Update' && activity.objectId === objectId)).toEqual([]);
    const served = await hub.http.get(new URL(objectId).pathname).set('Accept', AP).expect(200);
    expect(served.body.content).toContain('The summit is on 12 June.');
    expect(served.body.content).not.toContain('14 June');
    // An editor cannot approve their own edit.
    const revisionId = edit.body.pendingRevision.id as string;
    await hub.http
      .post(`/api/posts/${postId}/revisions/${revisionId}/approve`)
      .set('Authorization', `Bearer ${editor}`)
      .send({})
      .expect(403);

    await hub.http
      .post(`/api/posts/${postId}/revisions/${revisionId}/approve`)
      .set('Authorization', `Bearer ${approver}`)
      .send({})
      .expect(200);
    const update = await peer.waitFor((activity) => activity.type === 'Update' && activity.objectId === objectId);
    expect(update.actorId).toBe(actorId);
    expect((update.json.object as { content: string }).content).toContain('The summit moved to 14 June.');
    const after = await hub.http.get(new URL(objectId).pathname).set('Accept', AP).expect(200);
    expect(after.body.content).toContain('The summit moved to 14 June.');
    const audit = await hub.http.get('/api/audit?limit=10').set('Authorization', `Bearer ${admin}`).expect(200);
    const trail = (audit.body as Array<{ action: string; subjectId: string }>).filter((event) => event.subjectId === postId);
    expect(trail.map((event) => event.action).reverse()).toEqual([
      'post.create',
      'post.approve',
      'post.revision_propose',
      'post.revision_approve',
    ]);
  });

  it('sends a rejected edit nowhere', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ kind: 'note', text: 'Doors open at nine.', status: 'published' })
      .expect(201);
    const objectId = `${actorId}/posts/${post.body.id}`;
    await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === objectId);
    const edit = await hub.http
      .patch(`/api/posts/${post.body.id}`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ text: 'Doors open at ten.' })
      .expect(200);
    const rejected = await hub.http
      .post(`/api/posts/${post.body.id}/revisions/${edit.body.pendingRevision.id}/reject`)
      .set('Authorization', `Bearer ${approver}`)
      .send({})
      .expect(200);
    expect(rejected.body).toMatchObject({ text: 'Doors open at nine.', pendingRevision: null });
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(peer.received.filter((activity) => activity.type === 'Update' && activity.objectId === objectId)).toEqual([]);
  });
});
