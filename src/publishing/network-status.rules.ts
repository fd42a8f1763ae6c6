import { isIP } from 'node:net';
import type { Protocol } from '../common/protocol.js';
import type { AppConfig } from '../config/app-config.js';
import { isPublicAddress } from '../net/public-address.js';
import type { NetworkAttempt } from './network-attempts.repository.js';
import { inPlainTime } from './network-backoff.rules.js';

/** What Herald was doing when a network failed: the prefix of a stored error. */
export type NetworkStage = 'account' | 'publish' | 'profile';

export type NetworkState = 'ready' | 'needs action' | 'failing';

/** One profile's standing on one network, in words a comms team reads. */
export interface NetworkStatus {
  protocol: Protocol;
  network: string;
  state: NetworkState;
  /** What is going on, in plain language. */
  summary: string;
  /** What a person should do, when something is theirs to do. */
  action: string | null;
  lastWorkedAt: string | null;
  /** When Herald last tried (worked or not). */
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  /** Failed attempts in a row since it last worked. */
  failures: number;
  /** The network's own words, for whoever investigates. */
  lastError: string | null;
}

/** What a protocol adapter knows of a profile on its network. */
export interface NetworkFacts {
  /** Bluesky: whether the profile's account exists on the PDS. */
  account?: { exists: boolean; handle: string | null };
  /** Fediverse: the servers the profile's followers are on, and how many are refusing deliveries now. */
  servers?: { total: number; failing: number; lastDeliveredAt: Date | null };
}

export type StatusConfig = Pick<AppConfig, 'http' | 'atproto' | 'federation'>;

export const NETWORK_NAMES: Record<Protocol, string> = { activitypub: 'Fediverse', atproto: 'Bluesky' };

/** The stored error (`<stage>: <network's words>`) told as a sentence. */
export function plainCause(protocol: Protocol, lastError: string | null, config: Pick<AppConfig, 'atproto'>): string {
  const name = NETWORK_NAMES[protocol];
  if (!lastError) return `${name}: the last attempt failed.`;
  const split = lastError.indexOf(': ');
  const stage = split > 0 ? lastError.slice(0, split) : '';
  const detail = split > 0 ? lastError.slice(split + 2) : lastError;
  const what =
    stage === 'account'
      ? 'the account could not be created'
      : stage === 'profile'
        ? 'the profile could not be updated'
        : 'posts could not be published';
  if (protocol === 'atproto' && /\bPLC\b/i.test(detail)) {
    return `${name}: ${what} because the PLC directory at ${config.atproto.plcUrl} is unreachable.`;
  }
  if (/ECONNREFUSED|fetch failed|ETIMEDOUT|ENOTFOUND|timed? ?out|aborted/i.test(detail)) {
    return `${name}: ${what} because a server it depends on did not answer (${shorten(detail)}).`;
  }
  return `${name}: ${what} (${shorten(detail)}).`;
}

/** Why other servers cannot reach Herald at its PUBLIC_URL, or null when they can. */
export function publicUrlProblem(config: StatusConfig): string | null {
  // A closed test or development network: every peer is on private addresses too.
  if (config.federation.allowPrivateAddress) return null;
  const url = config.http.publicUrl;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host));
  if (url.protocol !== 'https:' || local)
    return `PUBLIC_URL is ${url.origin}, which other servers cannot reach: it must be a public https address`;
  return null;
}

export interface StatusInput {
  protocol: Protocol;
  attempt: NetworkAttempt | null;
  facts: NetworkFacts;
  lastPublishedAt: Date | null;
  config: StatusConfig;
  now: Date;
}

/** The rules: failing while attempts fail; needs action when something must be set up first; ready otherwise. */
export function describeStatus(input: StatusInput): NetworkStatus {
  const { protocol, attempt, facts, config, now } = input;
  const name = NETWORK_NAMES[protocol];
  const lastWorked = latest(attempt?.lastSuccessAt ?? null, input.lastPublishedAt, facts.servers?.lastDeliveredAt ?? null);
  const base = {
    protocol,
    network: name,
    lastWorkedAt: lastWorked?.toISOString() ?? null,
    lastAttemptAt: attempt?.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: null as string | null,
    failures: attempt?.failures ?? 0,
    lastError: attempt?.lastError ?? null,
  };
  const urlProblem = publicUrlProblem(config);
  const urlAction =
    'Set PUBLIC_URL to the public https URL where Herald is reachable, point the domain’s HTTPS at Herald, and restart Herald.';
  if (attempt && attempt.failures > 0) {
    const waiting = attempt.nextAttemptAt && attempt.nextAttemptAt.getTime() > now.getTime();
    const when = waiting ? `in ${inPlainTime(attempt.nextAttemptAt!.getTime() - now.getTime())}` : 'shortly';
    const plc = protocol === 'atproto' && /\bPLC\b/i.test(attempt.lastError ?? '');
    return {
      ...base,
      state: 'failing',
      summary: `${plainCause(protocol, attempt.lastError, config)} Herald will try again ${when}.`,
      action: plc
        ? `Check that this server can reach the PLC directory at ${config.atproto.plcUrl} (ATPROTO_PLC_URL), then press Try now.`
        : urlProblem
          ? urlAction
          : 'Press Try now once the network is reachable again; Herald keeps trying on its own meanwhile.',
      nextAttemptAt: waiting ? attempt.nextAttemptAt!.toISOString() : null,
    };
  }
  if (urlProblem) return { ...base, state: 'needs action', summary: `${name}: ${urlProblem}.`, action: urlAction };
  if (protocol === 'atproto' && facts.account && !facts.account.exists) {
    return {
      ...base,
      state: 'needs action',
      summary: 'Bluesky: the account has not been created yet.',
      action: 'Press Try now to create it (Herald also does when the profile is saved or a post goes out).',
    };
  }
  const servers = facts.servers;
  if (protocol === 'activitypub' && servers && servers.total > 0 && servers.failing === servers.total) {
    return {
      ...base,
      state: 'failing',
      summary: `Fediverse: none of the ${servers.total} servers your followers are on accepts deliveries at the moment. Herald keeps trying each of them.`,
      action: 'Check that this server can reach the internet and that the domain’s HTTPS points at Herald.',
    };
  }
  const partly =
    servers && servers.failing > 0
      ? ` ${servers.failing} of ${servers.total} servers your followers are on do not accept deliveries at the moment; Herald keeps trying them.`
      : '';
  const account = facts.account?.handle ? ` The account is @${facts.account.handle}.` : '';
  return { ...base, state: 'ready', summary: `${name}: ready.${account}${partly}`, action: null };
}

const shorten = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

function latest(...dates: Array<Date | null>): Date | null {
  const times = dates.filter((date): date is Date => date !== null).map((date) => date.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}
