import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AtpAgent } from '@atproto/api';
import { startFederatedTestHerald, startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('the embedded PDS', () => {
  let hub: TestHerald;

  beforeAll(async () => {
    hub = await startTestHerald('atpds', { HERALD_ROLE: 'web' });
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
