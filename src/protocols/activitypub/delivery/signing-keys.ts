import { KeyObject, type webcrypto } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ProfilesRepository } from '../../../profiles/profiles.repository.js';
import { ActorKeysRepository } from '../actor-keys.repository.js';
import { FederationHost } from '../federation-host.js';

export interface SigningKey {
  keyId: URL;
  privateKey: webcrypto.CryptoKey;
  /** The same key for node:crypto's synchronous sign (no WebCrypto job and thread hop per signature). */
  keyObject: KeyObject;
}

const TTL_MS = 10 * 60_000;

/**
 * A profile's RSA key for HTTP signatures, imported once and kept in memory for a while:
 * importing a JWK per request costs more than the signature (BookWyrm saw the same).
 */
@Injectable()
export class SigningKeys {
  private readonly cache = new LRUCache<string, Promise<SigningKey | null>>({ max: 10_000, ttl: TTL_MS });

  constructor(
    private readonly host: FederationHost,
    private readonly profiles: ProfilesRepository,
    private readonly keys: ActorKeysRepository,
  ) {}

  forProfile(profileId: string): Promise<SigningKey | null> {
    const cached = this.cache.get(profileId);
    if (cached) return cached;
    const key = this.load(profileId);
    this.cache.set(profileId, key);
    key.catch(() => this.cache.delete(profileId));
    return key;
  }

  private async load(profileId: string): Promise<SigningKey | null> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) return null;
    // The key id as the actor document publishes it; the private half from Herald's own store.
    const published = await this.host.context().getActorKeyPairs(profile.handle);
    const pairs = await this.keys.ensure(profileId);
    const index = pairs.findIndex((pair) => pair.privateKey.algorithm.name === 'RSASSA-PKCS1-v1_5');
    if (index < 0 || !published[index]) return null;
    const { privateKey } = pairs[index];
    return { keyId: published[index].keyId, privateKey, keyObject: KeyObject.from(privateKey) };
  }
}
