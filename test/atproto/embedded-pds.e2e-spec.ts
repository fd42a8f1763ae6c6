import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AtpAgent } from '@atproto/api';
import { jest } from '@jest/globals';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { NetworkBackoff } from '../../src/publishing/network-backoff.js';
import { AtprotoAccountsRepository } from '../../src/protocols/atproto/accounts/atproto-accounts.repository.js';
import { PdsAccounts } from '../../src/protocols/atproto/accounts/pds-accounts.js';
import { PdsConnection } from '../../src/protocols/atproto/pds/pds-connection.js';
import { BlueskyNetwork } from '../support/bluesky-network.js';
import { startFederatedTestHerald, startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

/** An outsider's login attempt on the hub's PDS, from `address` (the hub trusts X-Forwarded-For from loopback, as behind a proxy). */
function login(hub: TestHerald, identifier: string, address = '203.0.113.7', headers: Record<string, string> = {}) {
  return fetch(`${hub.url}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers },
    body: JSON.stringify({ identifier, password: 'wrong password' }),
  });
}

jest.setTimeout(120_000);

async function createProfile(hub: TestHerald, handle: string): Promise<string> {
  const admin = await hub.login(['admin']);
  const profile = await hub.http
    .post('/api/profiles')
    .set('Authorization', `Bearer ${admin}`)
    .send({ handle, domain: `${handle}.example.org`, displayName: handle, protocols: ['atproto'] })
    .expect(201);
  return profile.body.id as string;
}

describe('the embedded PDS', () => {
  let hub: TestHerald;

  beforeAll(async () => {
    hub = await startTestHerald('atpds', {
      HERALD_ROLE: 'web',
      LOGIN_FAILURES_PER_ADDRESS: '3',
      LOGIN_FAILURES_PER_ACCOUNT: '3',
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
    });
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it("serves XRPC on Herald's own port", async () => {
    const agent = new AtpAgent({ service: hub.url });
    const server = await agent.com.atproto.server.describeServer();
    expect(server.data.inviteCodeRequired).toBe(true);
  });

  it('refuses public account creation without an invite, creating nothing', async () => {
    const agent = new AtpAgent({ service: hub.url });
    await expect(
      agent.com.atproto.server.createAccount({ handle: 'mallory.test', email: 'm@example.test', password: 'password-123456' }),
    ).rejects.toThrow(/invite/i);
    await expect(agent.com.atproto.identity.resolveHandle({ handle: 'mallory.test' })).rejects.toThrow();
  });

  it('answers repeated login attempts with 429 and Retry-After, per address and per account named', async () => {
    const statuses = async (attempts: Array<() => Promise<Response>>) => {
      const found: number[] = [];
      for (const attempt of attempts) found.push((await attempt()).status);
      return found;
    };
    // One address trying many accounts: 3 per address and per account here.
    const fromOneAddress = await statuses(['a', 'b', 'c', 'd'].map((name) => () => login(hub, `${name}.test`, '203.0.113.1')));
    expect(fromOneAddress).toEqual([401, 401, 401, 429]);
    // One account tried from many addresses.
    const onOneAccount = await statuses(['1', '2', '3', '4'].map((n) => () => login(hub, 'victim.test', `198.51.100.${n}`)));
    expect(onOneAccount).toEqual([401, 401, 401, 429]);
    const refused = await login(hub, 'victim.test', '198.51.100.9');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'RateLimitExceeded' });
    // Account creation counts too.
    const create = await fetch(`${hub.url}/xrpc/com.atproto.server.createAccount`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.1' },
      body: JSON.stringify({ handle: 'mallory.test', email: 'm@example.test', password: 'password-123456' }),
    });
    expect(create.status).toBe(429);
  });

  it("lets Herald's own clients past the limit, and nobody who merely claims to be Herald", async () => {
    const internal = await hub.herald.app.get(PdsConnection).fetch();
    const own = await internal(`${hub.url}/xrpc/com.atproto.server.createSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' },
      body: JSON.stringify({ identifier: 'victim.test', password: 'wrong password' }),
    });
    // The PDS itself answered: wrong password, not rate limited.
    expect(own.status).toBe(401);
    const forged = await login(hub, 'victim.test', '198.51.100.10', { 'x-herald-internal': 'herald' });
    expect(forged.status).toBe(429);
  });

  it("keeps the PDS's keys and databases in a folder only Herald's user can enter", async () => {
    expect((await stat(join(hub.config.dataDir, 'pds'))).mode & 0o777).toBe(0o700);
  });
});

describe('the embedded PDS behind a loopback PUBLIC_URL', () => {
  let hub: TestHerald;

  beforeAll(async () => {
    // PUBLIC_URL=http://127.0.0.1:<port>: the PDS's OAuth provider refuses loopback hosts outside its dev mode.
    hub = await startFederatedTestHerald('atloop', '127.0.0.1', { HERALD_ROLE: 'web' });
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('starts, with the PDS in its localhost development mode', async () => {
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const server = await new AtpAgent({ service: hub.url }).com.atproto.server.describeServer();
    expect(server.data).toMatchObject({ did: 'did:web:localhost', availableUserDomains: ['.test'] });
  });
});

describe('the embedded PDS after a failed account creation', () => {
  let hub: TestHerald;

  beforeAll(async () => {
    // A PLC directory that refuses connections: the PDS cannot register the account's DID.
    hub = await startTestHerald('atfail', { HERALD_ROLE: 'web', ATPROTO_PLC_URL: 'http://127.0.0.1:9' });
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('leaves no usable invite code and no empty actor directory behind', async () => {
    const profileId = await createProfile(hub, 'failing');
    const profile = (await hub.herald.app.get(ProfilesRepository).findById(profileId))!;
    await expect(hub.herald.app.get(PdsAccounts).ensure(profile)).rejects.toThrow();
    // The failure starts the profile's Bluesky backoff; ending it (as Try now does) lets the second attempt reach the PDS.
    await hub.herald.app.get(NetworkBackoff).clearWait(profile.id, 'atproto');
    await expect(hub.herald.app.get(PdsAccounts).ensure(profile)).rejects.toThrow();

    const connection = hub.herald.app.get(PdsConnection);
    const headers = { authorization: `Basic ${Buffer.from(`admin:${await connection.adminPassword()}`).toString('base64')}` };
    const codes = await new AtpAgent({ service: hub.url }).com.atproto.admin.getInviteCodes({}, { headers });
    expect(codes.data.codes).toHaveLength(2);
    expect(codes.data.codes.every((code) => code.disabled && code.uses.length === 0)).toBe(true);

    const actors = join(hub.config.dataDir, 'pds', 'actors');
    const empty: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      if (entries.length === 0 && directory !== actors) empty.push(directory);
      for (const entry of entries) if (entry.isDirectory()) await walk(join(directory, entry.name));
    };
    await walk(actors);
    expect(empty).toEqual([]);
  });
});

describe("the embedded PDS's login limit and Herald's own logins", () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;

  beforeAll(async () => {
    network = await BlueskyNetwork.start('atlim');
    hub = await startFederatedTestHerald('atlim', 'localhost', {
      ...network.heraldEnv(),
      HERALD_ROLE: 'web',
      LOGIN_FAILURES_PER_ADDRESS: '2',
      LOGIN_FAILURES_PER_ACCOUNT: '2',
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await hub?.close();
    await network?.close();
  }, CLOSE_TIMEOUT_MS);

  it('still logs Herald in to an account whose login outsiders have spent, from loopback like them', async () => {
    const profileId = await createProfile(hub, 'limited');
    const profile = (await hub.herald.app.get(ProfilesRepository).findById(profileId))!;
    const account = await hub.herald.app.get(PdsAccounts).ensure(profile);
    const attempts: number[] = [];
    for (let i = 0; i < 3; i++) attempts.push((await login(hub, account.did, '127.0.0.1')).status);
    expect(attempts).toEqual([401, 401, 429]);
    // A fresh PdsAccounts has no session yet: it logs in over HTTP from loopback, as the outsider did.
    const accounts = new PdsAccounts(
      hub.herald.app.get(PdsConnection),
      hub.herald.app.get(AtprotoAccountsRepository),
      hub.herald.app.get(NetworkBackoff),
    );
    const { agent } = await accounts.agentFor(profile);
    expect(agent.session?.did).toBe(account.did);
  });
});
