import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AdapterError } from '../../../publishing/protocol-adapter.js';
import type { EmbeddedPds } from './embedded-pds.js';
import { internalCallerToken, internalFetch } from './internal-caller.js';

/** Where the adapter reaches the PDS and with which admin password; owns the embedded PDS's lifetime. */
@Injectable()
export class PdsConnection implements OnApplicationShutdown {
  private embedded: EmbeddedPds | null = null;
  private embeddedUrl: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  useEmbedded(pds: EmbeddedPds, url: string): void {
    this.embedded = pds;
    this.embeddedUrl = url;
  }

  serviceUrl(): string {
    const url = this.config.atproto.pdsUrl ?? this.embeddedUrl;
    if (!url) throw new AdapterError('the embedded PDS is not running yet', 'retry');
    return url;
  }

  /** A process without the PDS reads the generated password from the shared DATA_DIR, unless configured. */
  async adminPassword(): Promise<string> {
    if (this.config.atproto.adminPassword) return this.config.atproto.adminPassword;
    if (this.embedded) return this.embedded.adminPassword;
    const stored = await readFile(join(this.config.dataDir, 'pds', 'secrets.json'), 'utf8').then(
      (text) => JSON.parse(text).adminPassword as string,
      () => null,
    );
    if (!stored) throw new AdapterError('ATPROTO_ADMIN_PASSWORD is needed to manage PDS accounts from this process', 'permanent');
    return stored;
  }

  /** The fetch Herald's own PDS clients use: it names Herald as the caller, so the PDS's login rate limit passes it. */
  async fetch(): Promise<typeof fetch> {
    return internalFetch(internalCallerToken(await this.adminPassword()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.destroy();
    this.embedded = null;
  }
}
