import { generateCryptoKeyPair } from '@fedify/fedify';
import { CryptographicKey } from '@fedify/vocab';
import type { Media } from '../../media/media.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { toActor, type ActorUris } from './actor.js';

const base = 'https://hub.example/@eu';
const uris: ActorUris = {
  id: new URL(base),
  url: new URL(base),
  inbox: new URL(`${base}/inbox`),
  sharedInbox: new URL('https://hub.example/inbox'),
  outbox: new URL(`${base}/outbox`),
  followers: new URL(`${base}/followers`),
  following: new URL(`${base}/following`),
  featured: new URL(`${base}/featured`),
};
const profile = {
  handle: 'eu',
  displayName: 'European Commission',
  bio: 'News & updates\nfrom Brussels',
  fields: [{ name: 'Press', value: 'press@example.eu' }],
  website: 'https://commission.europa.eu',
  managedBy: 'the European Union',
} as Profile;
const avatar = { id: 'a1', mimeType: 'image/png', altText: 'Logo' } as Media;

describe('toActor', () => {
  it('maps a profile to an Organization with icon, fields and collections (no image without a banner)', async () => {
    const { publicKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const key = new CryptographicKey({ id: new URL(`${base}#main-key`), owner: uris.id, publicKey });
    const actor = toActor(
      profile,
      uris,
      { avatar, banner: null, url: (id) => `https://hub.example/media/${id}` },
      { publicKey: key, assertionMethods: [] },
    );
    const json = (await actor.toJsonLd({ format: 'compact' })) as Record<string, unknown>;
    expect(json).toMatchObject({
      type: 'Organization',
      preferredUsername: 'eu',
      name: 'European Commission',
      summary: '<p>News &amp; updates<br>from Brussels</p>',
      icon: { type: 'Image', url: 'https://hub.example/media/a1', mediaType: 'image/png', name: 'Logo' },
      attachment: [
        { type: 'PropertyValue', name: 'Press', value: 'press@example.eu' },
        { type: 'PropertyValue', name: 'Website', value: expect.stringContaining('href="https://commission.europa.eu"') },
        { type: 'PropertyValue', name: 'Managed by', value: 'the European Union' },
      ],
      manuallyApprovesFollowers: false,
      featured: `${base}/featured`,
      endpoints: { sharedInbox: 'https://hub.example/inbox' },
      publicKey: { id: `${base}#main-key` },
    });
    expect(json.image).toBeUndefined();
    // An RSA key pair takes seconds to generate on a busy machine.
  }, 30_000);
});
