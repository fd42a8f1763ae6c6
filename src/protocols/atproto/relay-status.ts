import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OutgoingHttp } from '../../net/outgoing-http.js';

/** A relay that takes longer than this (or the configured request limit, if shorter) is reported as unreachable. */
const RELAY_TIMEOUT_MS = 10_000;
/** A relay's answer is small; anything larger is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What one relay says of a repo, next to the PDS's own latest revision. */
export interface RelayRepoState {
  relay: string;
  /** Whether the relay answered at all (false: down, timed out, refused by the address check, not XRPC). */
  reachable: boolean;
  /** Whether it knows the repo; null when it could not be asked. */
  knowsRepo: boolean | null;
  /** The relay's own view of the account (active, or why not: takendown, deactivated, ...). */
  active?: boolean;
  status?: string;
  /** The newest revision of the repo the relay has crawled, and whether it is ours. */
  rev?: string | null;
  upToDate?: boolean | null;
  error?: string;
}

/** The crawl state relays report for a repo: the relays configured as the PDS's crawlers (ATPROTO_CRAWLERS). */
export interface RelayCrawlReport {
  /** The PDS's latest revision of the repo; null when it could not be read. */
  ourRev: string | null;
  /** Empty when no relay is configured: then nothing asks the network to crawl the PDS. */
  relays: RelayRepoState[];
}

/**
 * Asks each relay the PDS tells about its updates (its crawlers) whether it
 * knows a repo, with `com.atproto.sync.getRepoStatus`, the method relays and
 * PDSes both serve. Relays are addresses from configuration, yet the request
 * goes through OutgoingHttp: time limit and private-address check as any other.
 */
@Injectable()
export class RelayStatus {
  private readonly relays: string[];
  private readonly timeoutMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly http: OutgoingHttp,
  ) {
    this.relays = config.atproto.crawlers;
    // A page waits for this answer: shorter than the usual outgoing limit.
    this.timeoutMs = Math.min(RELAY_TIMEOUT_MS, config.outgoing.requestTimeoutSeconds * 1000);
  }

  get configured(): boolean {
    return this.relays.length > 0;
  }

  async crawlState(did: string, ourRev: string | null): Promise<RelayRepoState[]> {
    return Promise.all(this.relays.map((relay) => this.ask(relay, did, ourRev)));
  }

  private async ask(relay: string, did: string, ourRev: string | null): Promise<RelayRepoState> {
    const url = new URL('/xrpc/com.atproto.sync.getRepoStatus', relay);
    url.searchParams.set('did', did);
    let status: number;
    let body: Record<string, unknown>;
    try {
      const response = await this.http.fetch(url, { headers: { accept: 'application/json' }, timeoutMs: this.timeoutMs });
      status = response.status;
      body = await boundedJson(response);
    } catch (error) {
      return { relay, reachable: false, knowsRepo: null, error: messageOf(error) };
    }
    if (status === 200 && typeof body.did === 'string') {
      const rev = typeof body.rev === 'string' ? body.rev : null;
      return {
        relay,
        reachable: true,
        knowsRepo: true,
        active: body.active === true,
        ...(typeof body.status === 'string' ? { status: body.status } : {}),
        rev,
        // Revisions are TIDs: they sort in time order as text.
        upToDate: rev !== null && ourRev !== null ? rev >= ourRev : null,
      };
    }
    // XRPC names the reason: RepoNotFound is a relay that has never crawled the repo.
    const reason = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
    if (reason === 'RepoNotFound') return { relay, reachable: true, knowsRepo: false, rev: null, upToDate: false };
    const message = typeof body.message === 'string' ? `${reason}: ${body.message}` : reason;
    return { relay, reachable: true, knowsRepo: null, error: message };
  }
}

async function boundedJson(response: Response): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel();
        throw new Error(`answer longer than ${MAX_ANSWER_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new Error(`not an XRPC answer (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'})`);
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
