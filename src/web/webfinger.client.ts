import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { addressesOf, isPublicAddress } from './public-address.js';
import { SUBSCRIBE_REL, type FediverseAccount } from './remote-follow.js';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 64 * 1024;
/** Split-domain servers (handle on example.com, server on social.example.com) redirect WebFinger once. */
const MAX_REDIRECTS = 3;

export type SubscribeLookup = { template: string } | { refused: string };

/**
 * Asks an account's server, over WebFinger, where its users follow remote accounts.
 * Each request has a timeout, a size limit and only reaches public addresses
 * (unless ALLOW_PRIVATE_ADDRESS, for tests); redirects are followed by hand so each hop is checked.
 */
@Injectable()
export class WebFingerClient {
  private readonly allowPrivateAddress: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allowPrivateAddress = config.federation.allowPrivateAddress;
  }

  get allowsHttp(): boolean {
    return this.allowPrivateAddress;
  }

  async subscribeTemplate(account: FediverseAccount): Promise<SubscribeLookup> {
    const resource = `acct:${account.user}@${account.host}`;
    // Plain http only for a test or development server on a private address.
    const scheme = this.allowPrivateAddress && !(await this.isPublicHost(account.host)) ? 'http' : 'https';
    let url = new URL(`${scheme}://${account.host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refusal = await this.refusalFor(url);
      if (refusal) return { refused: refusal };
      const response = await fetch(url, {
        headers: { accept: 'application/jrd+json, application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).catch(() => null);
      if (!response) return { refused: `${account.host} did not answer` };
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        continue;
      }
      if (!response.ok) return { refused: `${account.host} does not know ${resource} (HTTP ${response.status})` };
      const document = await readJson(response);
      const links = (document as { links?: unknown } | null)?.links;
      const link = Array.isArray(links)
        ? (links as Array<{ rel?: unknown; template?: unknown }>).find(
            (entry) => entry?.rel === SUBSCRIBE_REL && typeof entry.template === 'string',
          )
        : undefined;
      return link ? { template: link.template as string } : { refused: `${account.host} offers no way to follow remote accounts` };
    }
    return { refused: `${account.host} redirected too many times` };
  }

  private async refusalFor(url: URL): Promise<string | null> {
    if (url.protocol !== 'https:' && !(this.allowPrivateAddress && url.protocol === 'http:')) return `${url.host} is not served over https`;
    if (url.username || url.password) return `${url.host}: addresses with credentials are refused`;
    if (this.allowPrivateAddress) return null;
    return (await this.isPublicHost(url.host)) ? null : `${url.host} is not a public address`;
  }

  private async isPublicHost(host: string): Promise<boolean> {
    const addresses = await addressesOf(host.replace(/:\d+$/, ''));
    return addresses.length > 0 && addresses.every(isPublicAddress);
  }
}

/** The body as JSON, or null when it is not JSON or grows past MAX_BYTES. */
async function readJson(response: Response): Promise<unknown> {
  const reader = response.body?.getReader();
  if (!reader) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || !value) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}
