import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/domain-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export class TooManyAttemptsError extends DomainError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Login attempts per client address and e-mail, counted in Redis so every
 * web replica shares the limit, and one attacker cannot lock out everyone.
 */
@Injectable()
export class LoginRateLimiter implements OnModuleDestroy {
  private readonly limiter: RateLimiterRedis;
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => undefined);
    const limits = { points: config.auth.loginRateLimit, duration: config.auth.loginRateWindowSeconds };
    this.limiter = new RateLimiterRedis({
      ...limits,
      storeClient: this.redis,
      keyPrefix: `${config.redis.prefix}:login`,
      // While Redis is away, each process keeps its own count rather than refusing every login.
      insuranceLimiter: new RateLimiterMemory(limits),
    });
  }

  async consume(clientAddress: string, email: string): Promise<void> {
    try {
      await this.limiter.consume(`${clientAddress}|${email.toLowerCase()}`);
    } catch (result) {
      if (result instanceof RateLimiterRes) throw new TooManyAttemptsError(Math.ceil(result.msBeforeNext / 1000));
      throw result;
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
