import { DataSource } from 'typeorm';
import { AnalyticsModule } from '../../src/analytics/analytics.module.js';
import { reportPeriod } from '../../src/analytics/report-period.js';
import { ReportsRepository } from '../../src/analytics/reports.repository.js';
import { ReportsService } from '../../src/analytics/reports.service.js';
import { AudienceModule } from '../../src/audience/audience.module.js';
import { FollowersRepository, type FollowerInput } from '../../src/audience/followers.repository.js';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { track } from '../support/leftovers.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

/** The reports' follower history and export streams against PostgreSQL, through the audience's real write paths. */
describe('reports against PostgreSQL', () => {
  let service: ServiceModule;
  let followers: FollowersRepository;
  let reports: ReportsService;
  let profileId: string;

  const follower = (n: number, domain = 'mastodon.example'): FollowerInput => ({
    profileId,
    protocol: 'activitypub',
    remoteActorId: `https://${domain}/users/u${n}`,
    handle: null,
    displayName: null,
    avatarUrl: null,
    profileUrl: null,
    inboxUrl: `https://${domain}/users/u${n}/inbox`,
    sharedInboxUrl: null,
    domain,
    followId: `https://${domain}/follows/${n}`,
  });
  /** The clock: follow events happen at now(); a test places them at the instants it is about. */
  const happenedAt = (remoteActorId: string, kind: 'follow' | 'unfollow', at: string) =>
    service
      .get(DataSource)
      .query(
        `UPDATE follower_event SET occurred_at = $3 WHERE remote_actor_id = $1 AND kind = $2 AND occurred_at > now() - interval '1 hour'`,
        [remoteActorId, kind, at],
      );

  beforeAll(async () => {
    service = await track(startServiceModule('reports', [AnalyticsModule, AudienceModule]));
    followers = service.get(FollowersRepository);
    reports = service.get(ReportsService);
    const profiles = service.get(ProfilesRepository);
    profileId = await profiles.transaction(
      async (manager) =>
        (await profiles.insert({ handle: 'eu', domain: 'eu.example', displayName: 'EU', protocols: ['activitypub', 'atproto'] }, manager))
          .id,
    );
  }, START_TIMEOUT_MS);

  afterAll(() => service?.close(), CLOSE_TIMEOUT_MS);

  it('counts follows, unfollows (domain blocks included) and re-follows per local day', async () => {
    // 22:30 UTC on 30 March is already 31 March in Brussels (UTC+2 after the DST change).
    await followers.upsertActive(follower(1));
    await happenedAt(follower(1).remoteActorId, 'follow', '2026-03-30T22:30:00Z');
    await followers.upsertActive(follower(2));
    await happenedAt(follower(2).remoteActorId, 'follow', '2026-03-30T10:00:00Z');
    await followers.end(profileId, 'activitypub', follower(2).remoteActorId);
    await happenedAt(follower(2).remoteActorId, 'unfollow', '2026-03-31T10:00:00Z');
    await followers.upsertActive(follower(2));
    await happenedAt(follower(2).remoteActorId, 'follow', '2026-04-01T10:00:00Z');
    await followers.upsertActive(follower(3, 'blocked.example'));
    await happenedAt(follower(3, 'blocked.example').remoteActorId, 'follow', '2026-03-29T10:00:00Z');
    expect(await followers.endForDomain('blocked.example', profileId)).toBe(1);
    await happenedAt(follower(3, 'blocked.example').remoteActorId, 'unfollow', '2026-04-01T12:00:00Z');
    // A follow redelivered while active is not a new follow.
    expect(await followers.upsertActive(follower(1))).toBe(false);

    const query = { from: '2026-03-30', to: '2026-04-01', network: 'activitypub' as const };
    const brussels = await reports.followers(profileId, { ...query, timeZone: 'Europe/Brussels' });
    expect(brussels.days.map((day) => [day.date, day.networks.activitypub])).toEqual([
      ['2026-03-30', { followers: 2, follows: 1, unfollows: 0 }],
      ['2026-03-31', { followers: 2, follows: 1, unfollows: 1 }],
      ['2026-04-01', { followers: 2, follows: 1, unfollows: 1 }],
    ]);
    const utc = await reports.followers(profileId, { ...query, timeZone: 'UTC' });
    expect(utc.days.map((day) => day.networks.activitypub)).toEqual([
      { followers: 3, follows: 2, unfollows: 0 },
      { followers: 2, follows: 0, unfollows: 1 },
      { followers: 2, follows: 1, unfollows: 1 },
    ]);
    const summary = await reports.summary(profileId, { ...query, timeZone: 'UTC' });
    expect(summary.networks[0].followers).toEqual({ atStart: 1, atEnd: 2, follows: 3, unfollows: 2 });
    // The history ends where the follower rows are now.
    expect((await followers.countActiveByProtocol(profileId)).activitypub).toBe(2);
  });

  it('gives an abandoned export its connection back', async () => {
    const repository = service.get(ReportsRepository);
    const scope = { profileId, period: reportPeriod('2026-03-01', '2026-04-30', 'UTC') };
    // More abandoned exports than the pool has connections (10): each must return its own.
    for (let n = 0; n < 15; n += 1) {
      const rows = await repository.exportRows('followers', scope, ['activitypub', 'atproto']);
      await new Promise<void>((resolve) => rows.once('data', () => resolve()));
      const closed = new Promise((resolve) => rows.once('close', resolve));
      rows.destroy();
      await closed;
    }
    const [row] = await service.get(DataSource).query(`SELECT 1 AS alive`);
    expect(row.alive).toBe(1);
  });
});
