import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Protocol } from '../common/protocol.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NetworkAttemptsRepository } from './network-attempts.repository.js';
import { backoffDelayMs, inPlainTime, mayAttempt, type BackoffSettings } from './network-backoff.rules.js';
import { plainCause, type NetworkStage } from './network-status.rules.js';
import { AdapterError, failureClassOf } from './protocol-adapter.js';

/** Publishing failures in a row that are retried by their own jobs before the network waits. */
const TOLERATED_PUBLISHING_FAILURES = 2;

/**
 * The network is not ready for this profile and Herald waits until `retryAt`:
 * callers hold their work until then instead of trying again at once.
 */
export class NetworkNotReady extends AdapterError {
  constructor(
    readonly protocol: Protocol,
    readonly retryAt: Date,
    message: string,
  ) {
    super(message, 'retry');
    this.name = 'NetworkNotReady';
  }
}

/**
 * Backoff per profile and network, kept in PostgreSQL so every process and a
 * restart honour it: a failure makes the next attempt wait (minutes to hours,
 * doubling), a success ends the wait, and the log names a failing network once
 * per period rather than once per attempt.
 */
@Injectable()
export class NetworkBackoff {
  private readonly logger = new Logger('NetworkStatus');
  private readonly settings: BackoffSettings;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attempts: NetworkAttemptsRepository,
  ) {
    const { networkRetryBaseSeconds, networkRetryMaxSeconds, networkLogPeriodSeconds } = config.publishing;
    this.settings = { baseSeconds: networkRetryBaseSeconds, maxSeconds: networkRetryMaxSeconds, logPeriodSeconds: networkLogPeriodSeconds };
  }

  /** Throws NetworkNotReady while the profile's network is waiting for its next attempt. */
  async check(profileId: string, protocol: Protocol): Promise<void> {
    const attempt = await this.attempts.find(profileId, protocol);
    if (!attempt?.nextAttemptAt || mayAttempt(attempt.nextAttemptAt, new Date())) return;
    const cause = plainCause(protocol, attempt.lastError, this.config);
    throw new NetworkNotReady(protocol, attempt.nextAttemptAt, `${cause} Herald will try again at ${attempt.nextAttemptAt.toISOString()}.`);
  }

  /**
   * Runs one attempt at the network unless it is waiting. Account work counts every failure and
   * waits from the first; publishing counts failures worth retrying and waits from the
   * third in a row (one flaky request is retried by its own job, with the original error).
   * A failure that starts a wait comes back as NetworkNotReady; one from a nested guard passes through, already counted.
   */
  async guard<T>(profileId: string, protocol: Protocol, stage: NetworkStage, work: () => Promise<T>): Promise<T> {
    await this.check(profileId, protocol);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (error instanceof NetworkNotReady) throw error;
      if (stage !== 'account' && failureClassOf(error) !== 'retry') throw error;
      throw (await this.failed(profileId, protocol, stage, error)) ?? error;
    }
    await this.attempts.recordSuccess(profileId, protocol);
    return result;
  }

  /** Try now: the wait ends and the next attempt goes ahead at once. */
  clearWait(profileId: string, protocol: Protocol): Promise<void> {
    return this.attempts.clearWait(profileId, protocol);
  }

  private async failed(profileId: string, protocol: Protocol, stage: NetworkStage, error: unknown): Promise<NetworkNotReady | null> {
    const tolerated = stage === 'account' ? 0 : TOLERATED_PUBLISHING_FAILURES;
    const message = `${stage}: ${error instanceof Error ? error.message : String(error)}`;
    const { attempt, log } = await this.attempts.recordFailure(
      profileId,
      protocol,
      message,
      (failures) => backoffDelayMs(failures, this.settings, tolerated),
      this.settings.logPeriodSeconds * 1000,
    );
    if (!attempt.nextAttemptAt) return null;
    const retryAt = attempt.nextAttemptAt;
    const cause = plainCause(protocol, message, this.config);
    const wait = `Herald will try again in ${inPlainTime(retryAt.getTime() - Date.now())}.`;
    if (log) {
      // Once per period: later failures in the period only lengthen the wait (see the network status).
      this.logger.warn(
        { profileId, protocol, failures: attempt.failures, retryAt: retryAt.toISOString(), error: message },
        `${cause} ${wait}`,
      );
    }
    return new NetworkNotReady(protocol, retryAt, `${cause} ${wait}`);
  }
}
