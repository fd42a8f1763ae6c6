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

  it('refuses private-address federation in production', () => {
    expect(() => loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ ALLOW_PRIVATE_ADDRESS: 'true', NODE_ENV: 'test' }).federation.allowPrivateAddress).toBe(true);
  });
});
