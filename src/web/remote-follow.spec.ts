import { remoteFollowUrl } from './remote-follow.js';

const actor = 'https://social.example.eu/@eu';
const expected = (host: string) => `https://${host}/authorize_interaction?uri=${encodeURIComponent(actor)}`;

describe('remoteFollowUrl', () => {
  it.each([
    ['mastodon.social', 'mastodon.social'],
    ['https://Mastodon.Social/home', 'mastodon.social'],
    ['@me@misskey.io', 'misskey.io'],
    ['me@localhost.test:8443', 'localhost.test:8443'],
  ])('sends %s to %s', (input, host) => {
    expect(remoteFollowUrl(input, actor)).toBe(expected(host));
  });

  it.each(['', 'javascript:alert(1)', 'evil.example"><', 'no_tld', 'a b.example'])('refuses %p', (input) => {
    expect(() => remoteFollowUrl(input, actor)).toThrow(/server/);
  });
});
