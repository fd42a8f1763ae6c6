import type { AppConfig } from '../config/app-config.js';
import { isPublicAddress } from './public-address.js';
import { WebFingerClient } from './webfinger.client.js';

const client = (allowPrivateAddress: boolean) => new WebFingerClient({ federation: { allowPrivateAddress } } as AppConfig);

describe('isPublicAddress', () => {
  it.each(['93.184.215.14', '2606:4700::1111'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('WebFingerClient', () => {
  // Refused before any request is made: these never reach the network.
  it.each(['127.0.0.1:3000', '10.0.0.8', '[::1]:8080', 'localhost'])('does not look up an account on %s', async (host) => {
    await expect(client(false).subscribeTemplate({ user: 'me', host })).resolves.toEqual({
      refused: expect.stringMatching(/is not a public address$/),
    });
  });
});
