import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../common/domain-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface LoginAttempt {
  /** The client's address as Express resolves it under TRUST_PROXY (req.ip). */
  clientAddress: string;
  email: string;
}

/**
 * Failed logins, counted in Redis (shared by every web replica) three ways:
 * per address and e-mail (one guesser at one account), per e-mail across
 * addresses (a botnet at one account) and per address across e-mails (one
 * password sprayed over many accounts). Only failures count; a success clears
 * the address-and-e-mail count, so a member who mistyped is not held back.
 */
@Injectable()
export class LoginRateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly perAddressAndAccount: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => undefined);
    const { windowSeconds, ...limits } = config.auth.loginLimits;
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        points,
        duration: windowSeconds,
        storeClient: this.redis,
        keyPrefix: `${config.redis.prefix}:login-failures:${name}`,
        // While Redis is away, each process keeps its own count rather than refusing every login.
        insuranceLimiter: new RateLimiterMemory({ points, duration: windowSeconds }),
      });
    this.perAddressAndAccount = limiter('address-account', limits.perAddressAndAccount);
    this.perAccount = limiter('account', limits.perAccount);
    this.perAddress = limiter('address', limits.perAddress);
  }

  /** Refuses the attempt, before any password is checked, when a count has reached its limit. */
  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    const waits = await Promise.all(
      this.counts(attempt).map(async ([limiter, key]) => {
        const count = await limiter.get(key);
        return count && count.consumedPoints >= limiter.points ? count.msBeforeNext : 0;
      }),
    );
    const wait = Math.max(...waits);
    if (wait > 0) throw tooMany(wait);
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const results = await Promise.allSettled(this.counts(attempt).map(([limiter, key]) => limiter.consume(key)));
    const refused = results.flatMap((result) =>
      result.status === 'rejected' && result.reason instanceof RateLimiterRes ? [result.reason.msBeforeNext] : [],
    );
    const failed = results.find((result) => result.status === 'rejected' && !(result.reason instanceof RateLimiterRes));
    if (failed) throw (failed as PromiseRejectedResult).reason;
    // This failure reached a limit: say so now rather than at the next attempt.
    if (refused.length) throw tooMany(Math.max(...refused));
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.perAddressAndAccount.delete(addressAndAccountKey(attempt));
  }

  private counts(attempt: LoginAttempt): Array<[RateLimiterRedis, string]> {
    return [
      [this.perAddressAndAccount, addressAndAccountKey(attempt)],
      [this.perAccount, accountKey(attempt.email)],
      [this.perAddress, addressCountedAs(attempt.clientAddress)],
    ];
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

function tooMany(msBeforeNext: number): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new TooManyRequestsError(`Too many failed logins; try again in ${seconds} s`, seconds);
}

/** Hashed, so Redis holds no e-mail addresses, and normalised, so `Admin@` and `admin@` share a count. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}

function addressAndAccountKey(attempt: LoginAttempt): string {
  return `${addressCountedAs(attempt.clientAddress)}|${accountKey(attempt.email)}`;
}

/**
 * The address a failure is counted against: an IPv6 client's /64 (one subscriber
 * usually holds a whole /64 and could rotate through it), an IPv4-mapped address as IPv4.
 */
export function addressCountedAs(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return mapped;
  if (isIP(bare) !== 6) return bare;
  const [head, tail] = bare.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
