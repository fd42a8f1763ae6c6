import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.role).toBe('all');
    expect(config.http.port).toBe(3000);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.database.url).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).toBe(3000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ HERALD_ROLE: 'everything' })).toThrow(/HERALD_ROLE/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('keeps inbox events at least as long as a session lives', () => {
    expect(loadConfig({}).inbox.eventRetentionHours).toBe(168);
    expect(loadConfig({ SESSION_TTL_HOURS: '720' }).inbox.eventRetentionHours).toBe(720);
    expect(loadConfig({ INBOX_EVENT_RETENTION_HOURS: '1000' }).inbox.eventRetentionHours).toBe(1000);
    expect(() => loadConfig({ INBOX_EVENT_RETENTION_HOURS: '24' })).toThrow(
      /INBOX_EVENT_RETENTION_HOURS: must be at least SESSION_TTL_HOURS/,
    );
  });

  it('asks the Bluesky relay to crawl a public PDS only', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://social.example.eu' }).atproto.crawlers).toEqual(['https://bsky.network']);
    expect(loadConfig({}).atproto.crawlers).toEqual([]);
    expect(loadConfig({ PUBLIC_URL: 'https://social.example.eu', NODE_ENV: 'test' }).atproto.crawlers).toEqual([]);
    expect(loadConfig({ ATPROTO_CRAWLERS: 'https://relay.example, https://bsky.network' }).atproto.crawlers).toEqual([
      'https://relay.example',
      'https://bsky.network',
    ]);
    expect(() => loadConfig({ ATPROTO_CRAWLERS: 'relay.example' })).toThrow(/ATPROTO_CRAWLERS/);
  });

  it('reads Bluesky notifications back past the cursor by a positive window', () => {
    expect(loadConfig({}).atproto.notificationOverlapSeconds).toBe(600);
    expect(loadConfig({ ATPROTO_NOTIFICATION_OVERLAP_SECONDS: '3600' }).atproto.notificationOverlapSeconds).toBe(3600);
    expect(() => loadConfig({ ATPROTO_NOTIFICATION_OVERLAP_SECONDS: '0' })).toThrow(/ATPROTO_NOTIFICATION_OVERLAP_SECONDS/);
    expect(() => loadConfig({ ATPROTO_NOTIFICATION_OVERLAP_SECONDS: 'soon' })).toThrow(/ATPROTO_NOTIFICATION_OVERLAP_SECONDS/);
  });

  it('runs the PDS as localhost when PUBLIC_URL is a loopback address', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3201' }).atproto.pdsHostname).toBe('localhost');
    expect(loadConfig({ PUBLIC_URL: 'http://[::1]:3201' }).atproto.pdsHostname).toBe('localhost');
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3201' }).atproto.crawlers).toEqual([]);
    expect(loadConfig({ PUBLIC_URL: 'https://social.example.eu' }).atproto.pdsHostname).toBe('social.example.eu');
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3201', ATPROTO_PDS_HOSTNAME: 'pds.example.eu' }).atproto.pdsHostname).toBe(
      'pds.example.eu',
    );
    expect(() => loadConfig({ ATPROTO_PDS_HOSTNAME: '127.0.0.1' })).toThrow(/ATPROTO_PDS_HOSTNAME: .*use localhost/);
  });

  it('refuses private-address federation in production', () => {
    expect(() => loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true', NODE_ENV: 'test' }).federation.allowPrivateAddress).toBe(true);
  });
});
