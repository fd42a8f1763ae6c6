import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageQueue, MessageQueueListenOptions } from '@fedify/fedify';
import { Injectable } from '@nestjs/common';
import { FanoutsRepository, type FanoutDestination, type FanoutRecord } from './fanouts.repository.js';

/** Who sends, and what a fan-out belongs to; filled in with the stored fan-out once Fedify has prepared the activity. */
export interface FanoutScope {
  profileId: string;
  /** Makes a repeated send (a retried job) find the fan-out it already wrote. Defaults to the activity id. */
  dedupeKey?: string;
  publication?: { id: string; revision: number; action: string };
  /** Followers the activity is meant for, when it goes to followers. */
  audience?: number;
  stored?: FanoutRecord;
}

/** The part of Fedify's per-inbox outbox message Herald keeps. The signing keys it also carries are dropped. */
interface FedifyOutboxMessage {
  type: 'outbox';
  activity: unknown;
  activityId?: string;
  activityType: string;
  inbox: string;
  sharedInbox: boolean;
}

/**
 * Fedify's outbox queue, kept in PostgreSQL instead of Redis. Fedify still
 * prepares the activity (proofs, Linked Data signature, shared-inbox choice);
 * its messages become one fan-out row and one row per inbox, and never reach
 * Redis, so no private key is ever queued.
 */
@Injectable()
export class FanoutCapture implements MessageQueue {
  private readonly scopes = new AsyncLocalStorage<FanoutScope>();

  constructor(private readonly fanouts: FanoutsRepository) {}

  /** Runs a send with its scope; returns what was stored (null when there was nobody to send to). */
  async within(scope: FanoutScope, send: () => Promise<unknown>): Promise<FanoutRecord | null> {
    await this.scopes.run(scope, send);
    return scope.stored ?? null;
  }

  enqueue(message: unknown): Promise<void> {
    return this.enqueueMany([message]);
  }

  async enqueueMany(messages: readonly unknown[]): Promise<void> {
    const scope = this.scopes.getStore();
    if (!scope) throw new Error('an activity was sent outside Delivery; it would have no durable fan-out');
    const outbox = messages.map(asOutboxMessage);
    const first = outbox[0];
    if (!first) return;
    const activityId = first.activityId ?? '';
    const destinations: FanoutDestination[] = outbox.map((message) => ({ inbox: message.inbox, sharedInbox: message.sharedInbox }));
    scope.stored = await this.fanouts.record({
      dedupeKey: scope.dedupeKey ?? activityId,
      profileId: scope.profileId,
      activityId,
      activityType: first.activityType,
      body: JSON.stringify(first.activity),
      publication: scope.publication ?? null,
      audience: scope.audience ?? null,
      destinations,
    });
  }

  /** Nothing to consume: Herald's delivery processor works from PostgreSQL. */
  listen(_handler: unknown, options?: MessageQueueListenOptions): Promise<void> {
    return new Promise((resolve) => {
      if (!options?.signal || options.signal.aborted) return resolve();
      options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

function asOutboxMessage(message: unknown): FedifyOutboxMessage {
  const candidate = message as Partial<FedifyOutboxMessage> | null;
  if (candidate?.type !== 'outbox' || typeof candidate.inbox !== 'string') {
    // Delivery always asks Fedify to skip its own fan-out step, so only per-inbox messages arrive here.
    throw new Error(`unexpected Fedify outbox message of type ${String(candidate?.type)}`);
  }
  return candidate as FedifyOutboxMessage;
}
