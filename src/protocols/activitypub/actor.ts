import type { Federation } from '@fedify/fedify';
import { type CryptographicKey, Endpoints, Image, type Multikey, Organization, PropertyValue } from '@fedify/vocab';
import { escapeHtml } from '../../common/html.js';
import type { Media } from '../../media/media.entity.js';
import type { MediaRepository } from '../../media/media.repository.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type { ActorKeysRepository } from './actor-keys.repository.js';
import type { InboundTargets } from './inbound-targets.js';

export interface ActorUris {
  id: URL;
  url: URL;
  inbox: URL;
  sharedInbox: URL;
  outbox: URL;
  followers: URL;
  following: URL;
  featured: URL;
}

const image = (media: Media | null, url: (id: string) => string) =>
  media ? new Image({ url: new URL(url(media.id)), mediaType: media.mimeType, name: media.altText || null }) : null;

/** A profile as an AS2 Organization: the identity a fediverse server shows and follows. */
export function toActor(
  profile: Profile,
  uris: ActorUris,
  media: { avatar: Media | null; banner: Media | null; url: (id: string) => string },
  keys: { publicKey: CryptographicKey; assertionMethods: Multikey[] },
): Organization {
  const fields = [...profile.fields];
  if (profile.website) fields.push({ name: 'Website', value: profile.website });
  if (profile.managedBy) fields.push({ name: 'Managed by', value: profile.managedBy });
  return new Organization({
    id: uris.id,
    preferredUsername: profile.handle,
    name: profile.displayName,
    summary: profile.bio
      ? profile.bio
          .split(/\n{2,}/)
          .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>')}</p>`)
          .join('')
      : null,
    url: uris.url,
    icon: image(media.avatar, media.url),
    image: image(media.banner, media.url),
    attachments: fields.map((field) => new PropertyValue({ name: field.name, value: linkIfUrl(field.value) })),
    inbox: uris.inbox,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    outbox: uris.outbox,
    followers: uris.followers,
    following: uris.following,
    featured: uris.featured,
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    published: null,
    publicKey: keys.publicKey,
    assertionMethods: keys.assertionMethods,
  });
}

function linkIfUrl(value: string): string {
  return /^https?:\/\/\S+$/.test(value)
    ? `<a href="${escapeHtml(value)}" rel="me nofollow noopener noreferrer" target="_blank">${escapeHtml(value)}</a>`
    : escapeHtml(value);
}

export interface ActorDependencies {
  targets: InboundTargets;
  keys: ActorKeysRepository;
  media: MediaRepository;
  mediaUrl: (id: string) => string;
}

/** Actor document, its key pairs, and WebFinger (acct:handle@host of PUBLIC_URL). */
export function registerActor(federation: Federation<void>, { targets, keys, media, mediaUrl }: ActorDependencies): void {
  federation
    .setActorDispatcher('/@{identifier}', async (ctx, identifier) => {
      const profile = await targets.profileByHandle(identifier);
      if (!profile || profile.handle !== identifier) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      const [avatar, banner] = await Promise.all([
        profile.avatarMediaId ? media.findById(profile.avatarMediaId) : null,
        profile.bannerMediaId ? media.findById(profile.bannerMediaId) : null,
      ]);
      const uris: ActorUris = {
        id: ctx.getActorUri(identifier),
        url: ctx.getActorUri(identifier),
        inbox: ctx.getInboxUri(identifier),
        sharedInbox: ctx.getInboxUri(),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        featured: ctx.getFeaturedUri(identifier),
      };
      return toActor(
        profile,
        uris,
        { avatar, banner, url: mediaUrl },
        {
          publicKey: pairs[0].cryptographicKey,
          assertionMethods: pairs.map((pair) => pair.multikey),
        },
      );
    })
    .mapHandle(async (_ctx, username) => (await targets.profileByHandle(username))?.handle ?? null)
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const profile = await targets.profileByHandle(identifier);
      return profile ? keys.ensure(profile.id) : [];
    });
}
