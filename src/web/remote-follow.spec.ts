import { followUrlFromTemplate, parseFediverseAccount } from './remote-follow.js';

const actor = 'https://social.example.eu/@eu';

describe('parseFediverseAccount', () => {
  it.each([
    ['@me@Mastodon.Social', { user: 'me', host: 'mastodon.social' }],
    ['me@misskey.io', { user: 'me', host: 'misskey.io' }],
    ['acct:me.you@social.example:8443', { user: 'me.you', host: 'social.example:8443' }],
    [' @me@127.0.0.5:3000 ', { user: 'me', host: '127.0.0.5:3000' }],
    ['@me@[::1]:3000', { user: 'me', host: '[::1]:3000' }],
  ])('reads %p', (input, account) => {
    expect(parseFediverseAccount(input)).toEqual(account);
  });

  it.each([
    '',
    'mastodon.social',
    'https://mastodon.social/@me',
    'javascript:alert(1)',
    '@me@evil.example/path',
    '@me@evil.example?x=1',
    '@me@evil.example#x',
    '@me@user:pass@evil.example',
    '@me@a b.example',
    '@me@no_tld',
    '@me@evil.example:99999',
    '@me@::1',
    '@me"><@evil.example',
  ])('refuses %p and names the field', (input) => {
    expect(() => parseFediverseAccount(input)).toThrow(/^account: /);
  });
});

describe('followUrlFromTemplate', () => {
  it('fills the template with the actor', () => {
    expect(followUrlFromTemplate('https://mastodon.social/authorize_interaction?uri={uri}', actor, false)).toBe(
      `https://mastodon.social/authorize_interaction?uri=${encodeURIComponent(actor)}`,
    );
  });

  it.each([
    'https://mastodon.social/authorize_interaction',
    'javascript:alert(1)//{uri}',
    'http://mastodon.social/authorize_interaction?uri={uri}',
    'https://user:pass@mastodon.social/?uri={uri}',
    'not a url {uri}',
  ])('refuses %p', (template) => {
    expect(followUrlFromTemplate(template, actor, false)).toBeNull();
  });

  it('accepts http only where private addresses are allowed', () => {
    expect(followUrlFromTemplate('http://127.0.0.5:3000/follow?uri={uri}', actor, true)).toMatch(/^http:\/\/127\.0\.0\.5:3000\//);
  });
});
