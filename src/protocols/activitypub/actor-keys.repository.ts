import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { Injectable } from '@nestjs/common';
import type { webcrypto } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActorKeyAlgorithm } from './actor-key.entity.js';

const ALGORITHMS: ActorKeyAlgorithm[] = ['RSASSA-PKCS1-v1_5', 'Ed25519'];

/** A profile's key pairs, kept in PostgreSQL and generated once (the first caller wins a race). */
@Injectable()
export class ActorKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ensure(profileId: string): Promise<webcrypto.CryptoKeyPair[]> {
    let rows = await this.load(profileId);
    if (rows.length < ALGORITHMS.length) {
      for (const algorithm of ALGORITHMS.filter((wanted) => !rows.some((row) => row.algorithm === wanted))) {
        const pair = await generateCryptoKeyPair(algorithm);
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
