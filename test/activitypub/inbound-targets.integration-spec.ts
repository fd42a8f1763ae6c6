import pg from 'pg';
import { NetModule } from '../../src/net/net.module.js';
import { ActivityPubModule } from '../../src/protocols/activitypub/activitypub.module.js';
import { FederationHost } from '../../src/protocols/activitypub/federation-host.js';
import { InboundTargets } from '../../src/protocols/activitypub/inbound-targets.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { track } from '../support/leftovers.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

describe("an inbound activity's targets, cached, against PostgreSQL", () => {
  let services: ServiceModule;
  let targets: InboundTargets;
  /** Another connection, as the web process would write. */
  let elsewhere: pg.Client;
  let profileId: string;
  const context = () => services.get(FederationHost).context();
  const postUrl = (id: string, handle = 'eu') => new URL(`/@${handle}/posts/${id}`, services.config.http.publicUrl);

  const publishedPost = async () =>
    (
      await elsewhere.query(
        `INSERT INTO post (profile_id, kind, text, status, published_at) VALUES ($1, 'note', 'Hello', 'published', now()) RETURNING id`,
        [profileId],
      )
    ).rows[0].id as string;

  beforeAll(async () => {
    services = await track(startServiceModule('targets', [NetModule, ActivityPubModule.forRoot({ worker: false })]));
    targets = services.get(InboundTargets);
    elsewhere = new pg.Client({ connectionString: services.database.url });
    await elsewhere.connect();
    profileId = (
      await elsewhere.query(
        `INSERT INTO profile (handle, domain, display_name, protocols) VALUES ('eu', 'eu.example', 'EU', '{activitypub}') RETURNING id`,
      )
    ).rows[0].id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await elsewhere?.end();
    await services?.close();
  }, CLOSE_TIMEOUT_MS);

  it('stops naming a post as a target from the first lookup after its deletion is committed elsewhere', async () => {
    const postId = await publishedPost();
    const other = await publishedPost();
    expect(await targets.post(context(), postUrl(postId))).toMatchObject({ postId, profile: { id: profileId } });
    expect(await targets.post(context(), postUrl(other))).toMatchObject({ postId: other });
    await elsewhere.query(`UPDATE post SET status = 'deleted', deleted_at = now() WHERE id = $1`, [postId]);
    expect(await targets.post(context(), postUrl(postId))).toBeNull();
    expect(await targets.post(context(), postUrl(other))).toMatchObject({ postId: other });
  });

  it('names a post published after a lookup found it unpublished', async () => {
    const postId = (
      await elsewhere.query(`INSERT INTO post (profile_id, kind, text, status) VALUES ($1, 'note', 'Draft', 'draft') RETURNING id`, [
        profileId,
      ])
    ).rows[0].id as string;
    expect(await targets.post(context(), postUrl(postId))).toBeNull();
    await elsewhere.query(`UPDATE post SET status = 'published', published_at = now() WHERE id = $1`, [postId]);
    expect(await targets.post(context(), postUrl(postId))).toMatchObject({ postId });
  });

  it('follows a profile leaving ActivityPub and a new handle', async () => {
    const postId = await publishedPost();
    expect(await targets.profileByHandle('EU')).toMatchObject({ id: profileId });
    await elsewhere.query(`UPDATE profile SET protocols = '{atproto}' WHERE id = $1`, [profileId]);
    expect(await targets.profileByHandle('eu')).toBeNull();
    expect(await targets.post(context(), postUrl(postId))).toBeNull();
    await elsewhere.query(`UPDATE profile SET protocols = '{activitypub}', handle = 'europe' WHERE id = $1`, [profileId]);
    expect(await targets.profileByHandle('eu')).toBeNull();
    expect(await targets.post(context(), postUrl(postId, 'europe'))).toMatchObject({ postId });
  });

  it('refuses an actor from the first check after a block is committed elsewhere', async () => {
    const actor = new URL('https://spam.example/users/s');
    expect(await targets.refuses(profileId, actor)).toBe(false);
    await elsewhere.query(`INSERT INTO block (kind, value) VALUES ('domain', 'spam.example')`);
    expect(await targets.refuses(profileId, actor)).toBe(true);
    expect(await targets.refuses(null, new URL('https://a.spam.example/u'))).toBe(true);
    expect(await targets.refuses(profileId, new URL('https://fine.example/u'))).toBe(false);
  });
});
