import type { NetworkAttempt } from './network-attempts.repository.js';
import { describeStatus, plainCause, publicUrlProblem, type StatusConfig } from './network-status.rules.js';

const now = new Date('2026-11-23T12:00:00Z');

function config(publicUrl: string, allowPrivateAddress = false): StatusConfig {
  return {
    http: { host: '0.0.0.0', port: 3000, publicUrl: new URL(publicUrl), trustProxy: false },
    atproto: { plcUrl: 'https://plc.example' },
    federation: { allowPrivateAddress },
  } as unknown as StatusConfig;
}

function attempt(changes: Partial<NetworkAttempt>): NetworkAttempt {
  return {
    profileId: 'p',
    protocol: 'atproto',
    failures: 0,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    lastErrorAt: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    loggedUntil: null,
    ...changes,
  };
}

const publicConfig = config('https://social.example.eu');

describe('network status', () => {
  it('tells an unreachable PLC directory as the reason the Bluesky account is missing, and when Herald tries again', () => {
    const status = describeStatus({
      protocol: 'atproto',
      attempt: attempt({
        failures: 2,
        nextAttemptAt: new Date('2026-11-23T12:10:00Z'),
        lastError: 'account: UpstreamFailure: Unable to perform PLC operation',
      }),
      facts: { account: { exists: false, handle: null } },
      lastPublishedAt: null,
      config: publicConfig,
      now,
    });
    expect(status).toMatchObject({
      state: 'failing',
      summary:
        'Bluesky: the account could not be created because the PLC directory at https://plc.example is unreachable. Herald will try again in 10 minutes.',
      nextAttemptAt: '2026-11-23T12:10:00.000Z',
      failures: 2,
    });
    expect(status.action).toContain('https://plc.example');
  });

  it('asks for a public https PUBLIC_URL when other servers cannot reach Herald', () => {
    for (const url of [
      'http://social.example.eu',
      'https://127.0.0.1:3000',
      'https://localhost',
      'https://[::1]:8443',
      'https://10.1.2.3',
    ]) {
      const status = describeStatus({ protocol: 'activitypub', attempt: null, facts: {}, lastPublishedAt: null, config: config(url), now });
      expect(status.state).toBe('needs action');
      expect(status.action).toMatch(/PUBLIC_URL .*public https URL/);
    }
    expect(publicUrlProblem(publicConfig)).toBeNull();
    // A closed test network: every peer is private too.
    expect(publicUrlProblem(config('http://127.0.0.1:3000', true))).toBeNull();
  });

  it('is ready once it worked, and says when', () => {
    const status = describeStatus({
      protocol: 'atproto',
      attempt: attempt({ lastSuccessAt: new Date('2026-11-23T11:00:00Z'), lastError: 'account: old trouble' }),
      facts: { account: { exists: true, handle: 'news.example.eu' } },
      lastPublishedAt: new Date('2026-11-23T11:30:00Z'),
      config: publicConfig,
      now,
    });
    expect(status).toMatchObject({ state: 'ready', action: null, lastWorkedAt: '2026-11-23T11:30:00.000Z' });
    expect(status.summary).toBe('Bluesky: ready. The account is @news.example.eu.');
  });

  it('needs action for a Bluesky account never tried, and fails when every follower server refuses deliveries', () => {
    const missing = describeStatus({
      protocol: 'atproto',
      attempt: null,
      facts: { account: { exists: false, handle: null } },
      lastPublishedAt: null,
      config: publicConfig,
      now,
    });
    expect(missing.state).toBe('needs action');
    const refused = describeStatus({
      protocol: 'activitypub',
      attempt: null,
      facts: { servers: { total: 3, failing: 3, lastDeliveredAt: null } },
      lastPublishedAt: null,
      config: publicConfig,
      now,
    });
    expect(refused.state).toBe('failing');
    const partly = describeStatus({
      protocol: 'activitypub',
      attempt: null,
      facts: { servers: { total: 3, failing: 1, lastDeliveredAt: null } },
      lastPublishedAt: null,
      config: publicConfig,
      now,
    });
    expect(partly.state).toBe('ready');
    expect(partly.summary).toContain('1 of 3 servers');
  });

  it('says what failed in plain words, keeping the network’s own words short', () => {
    expect(plainCause('activitypub', 'publish: connect ECONNREFUSED 10.0.0.1:443', publicConfig)).toBe(
      'Fediverse: posts could not be published because a server it depends on did not answer (connect ECONNREFUSED 10.0.0.1:443).',
    );
    expect(plainCause('atproto', 'profile: RecordTooBig: ' + 'x'.repeat(500), publicConfig)).toMatch(
      /^Bluesky: the profile could not be updated \(RecordTooBig: x+…\)\.$/,
    );
  });
});
