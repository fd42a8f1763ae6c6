import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, buildConnector, Dispatcher1Wrapper } from 'undici';
import type { AppConfig } from '../config/app-config.js';
import { isPublicAddress } from './public-address.js';
import { assertPublicUrl, isExemptHost, type AddressPolicy } from './public-url.js';
import { UnsafeUrlError } from './unsafe-url.error.js';

export interface OutgoingHttpOptions extends AddressPolicy {
  /** Longest wait for a TCP (and TLS) connection. */
  connectTimeoutMs: number;
  /** Longest time for a whole request, redirects and body included, unless the call sets its own. */
  requestTimeoutMs: number;
}

export type OutgoingRequestInit = RequestInit & {
  /** This request's total time limit; default: the configured OUTGOING_REQUEST_TIMEOUT_SECONDS. */
  timeoutMs?: number;
};

export const OUTGOING_HTTP_OPTIONS = Symbol('OUTGOING_HTTP_OPTIONS');

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Builds the policy and timeouts from Herald's configuration. */
export function outgoingHttpOptions(config: AppConfig): OutgoingHttpOptions {
  return {
    allowPrivate: config.federation.allowPrivateAddress,
    exemptHosts: config.federation.allowPrivateHosts,
    connectTimeoutMs: config.outgoing.connectTimeoutSeconds * 1000,
    requestTimeoutMs: config.outgoing.requestTimeoutSeconds * 1000,
  };
}

/**
 * The HTTP client for every request Herald makes to a URL it did not choose
 * itself (actors, inboxes, documents). Its own connection pool checks, as each
 * connection is made, every address the host resolves to, so a DNS answer
 * that changed since the URL was stored (rebinding) or a redirect to an
 * internal host is refused too. Every request has a total time limit, and
 * connections, response headers and pauses in the body have their own.
 * The process-wide dispatcher is left alone: other clients in the same
 * process (tests run several hubs and peers) keep their own rules.
 */
@Injectable()
export class OutgoingHttp implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly dispatcher: Dispatcher1Wrapper;

  constructor(@Inject(OUTGOING_HTTP_OPTIONS) private readonly options: OutgoingHttpOptions) {
    this.agent = new Agent({
      connect: guardedConnector(options),
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      // An idle connection is kept 1 s at most, whatever the server offers (often 30 s+): enough for the
      // requests of one burst to share it. Each host's pool (its socket, parser and a 2,048-slot queue) lives as
      // long as its connection, and a fan-out reaches a new host at every request: at 4 s, 10,000 hosts left
      // about 2,400 pools (50 MB of heap) alive in bench:fanout; kept 30 s, 10,000 sockets (600 MB).
      keepAliveMaxTimeout: 1_000,
    });
    // Node 22's fetch speaks undici's first dispatcher interface; the wrapper translates.
    this.dispatcher = new Dispatcher1Wrapper(this.agent);
  }

  /** Checks a URL before it is stored for later requests (see assertPublicUrl), with this client's policy. */
  assertPublicUrl(url: URL): Promise<void> {
    return assertPublicUrl(url, this.options);
  }

  async fetch(input: string | URL | Request, init: OutgoingRequestInit = {}): Promise<Response> {
    const { timeoutMs, ...rest } = init;
    const deadline = AbortSignal.timeout(timeoutMs ?? this.options.requestTimeoutMs);
    const callerSignal = rest.signal ?? (input instanceof Request ? input.signal : null);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    const mode = rest.redirect ?? (input instanceof Request ? input.redirect : 'follow');
    // Redirects are followed here, not by fetch, to bound them and to re-check each target's scheme.
    let request = new Request(input, { ...rest, signal, redirect: mode === 'follow' ? 'manual' : mode });
    for (let hops = 0; ; hops++) {
      const replay = mode === 'follow' && request.body !== null ? request.clone() : null;
      // undici's own types and Node's copy of them (undici-types) name the same interface twice.
      const response = await fetch(request, { dispatcher: this.dispatcher } as unknown as RequestInit).catch((error: unknown) => {
        // fetch reports every network failure as "fetch failed": a refused address is worth its own error.
        const cause = (error as { cause?: Partial<ConnectRefusal> } | null)?.cause;
        throw cause?.code === REFUSED ? new UnsafeUrlError(cause.url!, cause.reason!) : error;
      });
      const location = response.headers.get('location');
      if (mode !== 'follow' || !REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (hops >= MAX_REDIRECTS)
        throw new TypeError(`More than ${MAX_REDIRECTS} redirects from ${input instanceof Request ? input.url : String(input)}`);
      request = redirected(request, replay, response.status, new URL(location, request.url), signal);
    }
  }

  /**
   * A POST that follows no redirect, for deliveries: the same pool, address check and time limits as
   * fetch, without fetch's Request and web-stream copies of the body (a large share of a delivery's CPU).
   * The answer's body is discarded. Throws UnsafeUrlError for a refused address, a TimeoutError past the deadline.
   */
  async post(
    url: URL,
    init: { headers: Record<string, string>; body: Uint8Array; timeoutMs?: number },
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError(url.href, `scheme ${url.protocol}`);
    const timeoutMs = init.timeoutMs ?? this.options.requestTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: init.headers,
        body: init.body,
        signal,
      });
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return { status: response.statusCode, headers: response.headers };
    } catch (error) {
      const refused = error as Partial<ConnectRefusal> | null;
      if (refused?.code === REFUSED) throw new UnsafeUrlError(refused.url!, refused.reason!);
      if (signal.aborted) throw new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError');
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

/** The next hop's request, as fetch would build it: 303 (and 301/302 after a POST) turn into a GET without a body. */
function redirected(previous: Request, replay: Request | null, status: number, next: URL, signal: AbortSignal): Request {
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new UnsafeUrlError(next.href, `redirect to scheme ${next.protocol}`);
  }
  const headers = new Headers(previous.headers);
  if (next.origin !== new URL(previous.url).origin) {
    headers.delete('authorization');
    headers.delete('cookie');
  }
  const toGet = status === 303 ? previous.method !== 'HEAD' : (status === 301 || status === 302) && previous.method === 'POST';
  if (toGet || replay === null) {
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
    return new Request(next, { method: toGet ? 'GET' : previous.method, headers, signal, redirect: 'manual' });
  }
  return new Request(next, {
    method: replay.method,
    headers,
    body: replay.body,
    signal,
    redirect: 'manual',
    duplex: 'half',
  } as RequestInit);
}

const REFUSED = 'ERR_HERALD_UNSAFE_ADDRESS';

interface ConnectRefusal extends Error {
  code: typeof REFUSED;
  url: string;
  reason: string;
}

/**
 * A plain Error, not an UnsafeUrlError: fetch keeps only errors it recognises as
 * errors (an Error of its own realm, or one whose constructor is named Error)
 * as the cause, and OutgoingHttp.fetch turns this one back into an UnsafeUrlError.
 */
function refusal(url: string, reason: string): ConnectRefusal {
  return Object.assign(new Error(`Refused ${url}: ${reason}`), { code: REFUSED, url, reason } as const);
}

/**
 * undici's connector with the address check: IP literals are checked here
 * (the system never resolves them), names in the lookup, on every address
 * it returns, just before the socket connects to one of them.
 */
function guardedConnector(policy: OutgoingHttpOptions): buildConnector.connector {
  const lookup = policy.lookup ?? (dnsLookup as LookupFunction);
  const open = buildConnector({ timeout: policy.connectTimeoutMs, lookup } as buildConnector.BuildOptions);
  const checkedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? (address as LookupAddress[]).map((entry) => entry.address) : [address];
      const refused = addresses.find((candidate) => !isPublicAddress(candidate));
      if (refused === undefined) return callback(null, address, family);
      callback(refusal(hostname, `${hostname} resolves to ${refused}, not a public address`), '', 0);
    });
  };
  const guarded = buildConnector({ timeout: policy.connectTimeoutMs, lookup: checkedLookup } as buildConnector.BuildOptions);
  return (options, callback) => {
    const protocol = options.protocol ?? 'http:';
    if (policy.allowPrivate || isExemptHost(options.hostname, String(options.port ?? ''), protocol, policy.exemptHosts)) {
      return open(options, callback);
    }
    const bare = options.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare) && !isPublicAddress(bare)) {
      callback(refusal(`${protocol}//${options.hostname}`, `${bare} is not a public address`), null);
      return;
    }
    return guarded(options, callback);
  };
}
