import { createECDH, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AtprotoConfig } from '../../../config/app-config.js';

export interface PdsSecrets {
  adminPassword: string;
  jwtSecret: string;
  plcRotationKeyHex: string;
}

/**
 * Secrets the PDS needs: from config when given, else generated once and kept
 * in DATA_DIR/pds/secrets.json (mode 0600), so accounts survive restarts.
 */
export async function loadPdsSecrets(config: AtprotoConfig, pdsDir: string): Promise<PdsSecrets> {
  const file = join(pdsDir, 'secrets.json');
  const stored = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Partial<PdsSecrets>,
    () => ({}) as Partial<PdsSecrets>,
  );
  const secrets: PdsSecrets = {
    adminPassword: config.adminPassword ?? stored.adminPassword ?? randomBytes(24).toString('base64url'),
    jwtSecret: config.jwtSecret ?? stored.jwtSecret ?? randomBytes(32).toString('hex'),
    plcRotationKeyHex: config.plcRotationKeyHex ?? stored.plcRotationKeyHex ?? newK256KeyHex(),
  };
  // The PDS writes repo signing keys and account.sqlite world-readable (0644): the folder itself is the owner's only.
  await mkdir(pdsDir, { recursive: true, mode: 0o700 });
  await chmod(pdsDir, 0o700);
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

function newK256KeyHex(): string {
  const ecdh = createECDH('secp256k1');
  ecdh.generateKeys();
  return ecdh.getPrivateKey('hex').padStart(64, '0');
}
