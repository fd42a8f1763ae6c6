import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { Injectable } from '@nestjs/common';
import { webcrypto } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActorKeyAlgorithm } from './actor-key.entity.js';

const ALGORITHMS: ActorKeyAlgorithm[] = ['RSASSA-PKCS1-v1_5', 'Ed25519'];

/**
 * New RSA keys are 2048-bit, as Mastodon's: every server verifies them, and a signature costs about a sixth
 * of an RSA-4096 one (0.9 ms against 5.5 ms here), which is most of a delivery's CPU (see BENCHMARKS.md).
 * Keys already stored, whatever their size, are kept: a new key would break servers that cached the old one.
 */
const RSA_BITS = 2048;

function generateKeyPair(algorithm: ActorKeyAlgorithm): Promise<webcrypto.CryptoKeyPair> {
  if (algorithm !== 'RSASSA-PKCS1-v1_5') return generateCryptoKeyPair(algorithm);
  return webcrypto.subtle.generateKey(
    { name: algorithm, modulusLength: RSA_BITS, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  ) as Promise<webcrypto.CryptoKeyPair>;
}

/** A profile's key pairs, kept in PostgreSQL and generated once (the first caller wins a race). */
@Injectable()
export class ActorKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ensure(profileId: string): Promise<webcrypto.CryptoKeyPair[]> {
    let rows = await this.load(profileId);
    if (rows.length < ALGORITHMS.length) {
      for (const algorithm of ALGORITHMS.filter((wanted) => !rows.some((row) => row.algorithm === wanted))) {
        const pair = await generateKeyPair(algorithm);
        await this.dataSource.query(
          `INSERT INTO actor_key (profile_id, algorithm, private_key, public_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [profileId, algorithm, await exportJwk(pair.privateKey), await exportJwk(pair.publicKey)],
        );
      }
      rows = await this.load(profileId);
    }
    return Promise.all(
      ALGORITHMS.map(async (algorithm) => {
        const row = rows.find((candidate) => candidate.algorithm === algorithm)!;
        return { privateKey: await importJwk(row.private_key, 'private'), publicKey: await importJwk(row.public_key, 'public') };
      }),
    );
  }

  private load(
    profileId: string,
  ): Promise<Array<{ algorithm: ActorKeyAlgorithm; private_key: webcrypto.JsonWebKey; public_key: webcrypto.JsonWebKey }>> {
    return this.dataSource.query(`SELECT algorithm, private_key, public_key FROM actor_key WHERE profile_id = $1`, [profileId]);
  }
}
