import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Media bytes on disk under DATA_DIR/media, addressed by content hash. */
@Injectable()
export class MediaStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = join(config.dataDir, 'media');
  }

  async write(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  }

  read(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  pathOf(key: string): string {
    if (!/^[a-f0-9]{64}\.[a-z]+$/.test(key)) throw new Error(`Bad media storage key ${key}`);
    return join(this.root, key.slice(0, 2), key);
  }
}
