import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import type { AppConfig } from '../config/app-config.js';

/** Longer than any pause a live stream makes: the event streams send a comment every 25 s. */
const MIN_IDLE_BODY_MS = 60_000;

let installed: Agent | null = null;

/**
 * Time limits, and only time limits, for every request made through the
 * process's global fetch: the embedded PDS talking to the PLC directory,
 * AppView and relays, @atproto/api, Fedify's own requests. Without them a
 * server that accepts a connection and never answers holds a request for
 * undici's default five minutes per step. No address check here: tests run
 * several hubs and peers over loopback in one process; Herald's requests to
 * URLs it did not choose go through OutgoingHttp, which checks addresses.
 * bodyTimeout is an idle limit between chunks, so a stream that keeps
 * sending is never cut. Installed once per process; later calls keep it.
 */
export function installGlobalTimeouts(config: AppConfig): void {
  if (installed && getGlobalDispatcher() === installed) return;
  const requestMs = config.outgoing.requestTimeoutSeconds * 1000;
  installed = new Agent({
    connectTimeout: config.outgoing.connectTimeoutSeconds * 1000,
    headersTimeout: requestMs,
    bodyTimeout: Math.max(requestMs, MIN_IDLE_BODY_MS),
  });
  setGlobalDispatcher(installed);
}
