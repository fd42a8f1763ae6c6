import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-address.js';
import { UnsafeUrlError } from './unsafe-url.error.js';

/** Which addresses outgoing requests may reach. */
export interface AddressPolicy {
  /** Any address at all: tests and local development only. */
  allowPrivate: boolean;
  /** `host` or `host:port` entries exempt from the check, for an operator's internal peers. */
  exemptHosts?: readonly string[];
  /** Name resolution; default: the system resolver (dns.lookup). Tests give their own to simulate DNS answers. */
  lookup?: LookupFunction;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whether `hostname` (bare or bracketed IPv6) on `port` is one of the exempt hosts. */
export function isExemptHost(hostname: string, port: string, protocol: string, exemptHosts: readonly string[] = []): boolean {
  if (exemptHosts.length === 0) return false;
  const host = hostname.toLowerCase();
  const named = isIP(host) === 6 ? `[${host}]` : host;
  const withPort = `${named}:${port || DEFAULT_PORTS[protocol] || ''}`;
  return exemptHosts.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === named || wanted === withPort;
  });
}

/** Every address `hostname` resolves to (an IP literal is its own answer). */
export function resolveAll(hostname: string, lookup: LookupFunction = dnsLookup as LookupFunction): Promise<string[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare)) return Promise.resolve([bare]);
  return new Promise((resolve, reject) => {
    lookup(bare, { all: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve((addresses as unknown as LookupAddress[]).map((entry) => entry.address));
    });
  });
}

/**
 * Checks a URL Herald is about to store for later requests (an inbox, an
 * endpoint): http or https, no credentials, and every address its host
 * resolves to public, unless the policy allows private addresses or exempts
 * the host. Connections are checked again when made (see OutgoingHttp), since
 * DNS may answer differently then.
 */
export async function assertPublicUrl(url: URL, policy: AddressPolicy): Promise<void> {
  const shown = `${url.origin}${url.pathname}`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError(shown, `scheme ${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '') throw new UnsafeUrlError(shown, 'credentials in the URL');
  if (policy.allowPrivate || isExemptHost(url.hostname, url.port, url.protocol, policy.exemptHosts)) return;
  let addresses: string[];
  try {
    addresses = await resolveAll(url.hostname, policy.lookup);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A resolver that failed for now is not a verdict on the host: the caller may try again.
    if (code === 'EAI_AGAIN') throw error;
    throw new UnsafeUrlError(shown, `${url.hostname} does not resolve (${code ?? String(error)})`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(shown, `${url.hostname} does not resolve`);
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined) throw new UnsafeUrlError(shown, `${url.hostname} resolves to ${refused}, not a public address`);
}
