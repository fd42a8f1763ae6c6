import bodyParser from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { INTERNAL_CALLER_HEADER, isInternalCaller } from './internal-caller.js';

const LIMITED = new Set(['/xrpc/com.atproto.server.createSession', '/xrpc/com.atproto.server.createAccount']);
/** The PDS's own JSON limit for these small bodies. */
const readJson = bodyParser.json({ limit: '100kb' });

export interface LoginLimits {
  perAddress: number;
  perAccount: number;
  durationSeconds: number;
}

/**
 * Limits password guessing and account-creation attempts on the embedded PDS, per client address and per account
 * named (identifier, handle, email), answering 429 with Retry-After once either is spent. Every account on this PDS
 * is Herald's (invite-only; staff never see the passwords), so outsiders have no reason to log in at all. Herald's
 * own clients name themselves with the internal-caller header and are not limited; loopback as such is not trusted.
 * In memory: a single process holds the PDS.
 */
export class PdsLoginLimiter {
  private readonly byAddress: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(
    limits: LoginLimits,
    private readonly internalToken: string,
  ) {
    const duration = limits.durationSeconds;
    this.byAddress = new RateLimiterMemory({ points: limits.perAddress, duration, keyPrefix: 'pds-login-address' });
    this.byAccount = new RateLimiterMemory({ points: limits.perAccount, duration, keyPrefix: 'pds-login-account' });
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'POST' || !LIMITED.has(request.path)) return next();
    if (isInternalCaller(request.headers[INTERNAL_CALLER_HEADER], this.internalToken)) return next();
    // Read here to learn the account named; the PDS's own parser then finds the body already read and uses it.
    readJson(request, response, (error?: unknown) => {
      if (error) {
        refuse(response, 400, 'InvalidRequest', 'The request body is not valid JSON within 100 kB');
        return;
      }
      this.consume(request).then(
        (retryAfterSeconds) => {
          if (retryAfterSeconds === null) return next();
          response.setHeader('Retry-After', String(retryAfterSeconds));
          refuse(response, 429, 'RateLimitExceeded', `Too many attempts; try again in ${retryAfterSeconds} s`);
        },
        (failure: unknown) => next(failure),
      );
    });
  };

  /** Null when allowed, else the seconds until the spent limit frees a point. */
  private async consume(request: Request): Promise<number | null> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const accounts = [body.identifier, body.handle, body.email]
      .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
      .map((value) => value.trim().toLowerCase());
    const attempts = [this.byAddress.consume(request.ip ?? request.socket.remoteAddress ?? 'unknown')];
    for (const account of new Set(accounts)) attempts.push(this.byAccount.consume(account));
    const outcomes = await Promise.allSettled(attempts);
    let waitMs = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : null;
  }
}

/** An XRPC error body, as the PDS answers its own refusals. */
function refuse(response: Response, status: number, error: string, message: string): void {
  response.status(status).json({ error, message });
}
