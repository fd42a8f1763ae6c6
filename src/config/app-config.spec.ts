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

  it('subscribes to a firehose only when given a websocket URL', () => {
    expect(loadConfig({}).atproto.firehoseUrl).toBeNull();
    expect(loadConfig({ ATPROTO_FIREHOSE_URL: 'wss://bsky.network/' }).atproto.firehoseUrl).toBe('wss://bsky.network');
    expect(() => loadConfig({ ATPROTO_FIREHOSE_URL: 'https://bsky.network' })).toThrow(/ATPROTO_FIREHOSE_URL/);
  });

  it('takes PUBLIC_URL from PORT when it is not set', () => {
    expect(loadConfig({}).http.publicUrl.href).toBe('http://localhost:3000/');
    expect(loadConfig({ PORT: '3997' }).http.publicUrl.href).toBe('http://localhost:3997/');
    expect(loadConfig({ PORT: '3997', PUBLIC_URL: 'https://social.example.eu' }).http.publicUrl.href).toBe('https://social.example.eu/');
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

  it('limits inbox bodies to 1 MiB unless told otherwise, within sane bounds', () => {
    expect(loadConfig({}).federation.inboundBodyLimitBytes).toBe(1024 * 1024);
    expect(loadConfig({ INBOUND_BODY_LIMIT_BYTES: '262144' }).federation.inboundBodyLimitBytes).toBe(262144);
    expect(() => loadConfig({ INBOUND_BODY_LIMIT_BYTES: '100' })).toThrow(/INBOUND_BODY_LIMIT_BYTES/);
    expect(() => loadConfig({ INBOUND_BODY_LIMIT_BYTES: 'a lot' })).toThrow(/INBOUND_BODY_LIMIT_BYTES/);
  });

  it('refuses private-address federation in production', () => {
    expect(() => loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true', NODE_ENV: 'test' }).federation.allowPrivateAddress).toBe(true);
  });

  it('reads the hosts exempt from the private-address check and the outgoing time limits', () => {
    const defaults = loadConfig({});
    expect(defaults.federation.allowPrivateHosts).toEqual([]);
    expect(defaults.outgoing).toEqual({ connectTimeoutSeconds: 10, requestTimeoutSeconds: 30 });
    const set = loadConfig({
      ALLOW_PRIVATE_HOSTS: 'Social.Internal, 10.0.0.5:8443,[fd00::5]:443',
      OUTGOING_CONNECT_TIMEOUT_SECONDS: '3',
      OUTGOING_REQUEST_TIMEOUT_SECONDS: '20',
    });
    expect(set.federation.allowPrivateHosts).toEqual(['social.internal', '10.0.0.5:8443', '[fd00::5]:443']);
    expect(set.outgoing).toEqual({ connectTimeoutSeconds: 3, requestTimeoutSeconds: 20 });
    expect(() => loadConfig({ ALLOW_PRIVATE_HOSTS: 'http://social.internal' })).toThrow(/ALLOW_PRIVATE_HOSTS/);
    expect(() => loadConfig({ OUTGOING_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(/OUTGOING_REQUEST_TIMEOUT_SECONDS/);
  });

  it('limits failed logins three ways by default', () => {
    expect(loadConfig({}).auth.loginLimits).toEqual({ perAddressAndAccount: 5, perAccount: 20, perAddress: 50, windowSeconds: 900 });
    expect(loadConfig({ LOGIN_FAILURES_PER_ADDRESS: '7' }).auth.loginLimits.perAddress).toBe(7);
    expect(() => loadConfig({ LOGIN_FAILURES_PER_ACCOUNT: '0' })).toThrow(/LOGIN_FAILURES_PER_ACCOUNT/);
  });

  it('refuses the old login limit settings by name', () => {
    expect(() => loadConfig({ LOGIN_RATE_LIMIT: '10' })).toThrow(
      /LOGIN_RATE_LIMIT: no longer read; use LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT/,
    );
  });

  it('trusts X-Forwarded-For from loopback only unless told otherwise', () => {
    expect(loadConfig({}).http.trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.5/32, fd00::/8' }).http.trustProxy).toEqual(['loopback', '10.0.0.5/32', 'fd00::/8']);
  });

  it.each(['true', '10.0.0.0/99', 'proxy.example', 'loopback,not-an-address'])('refuses TRUST_PROXY=%p', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});
