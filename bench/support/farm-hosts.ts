// What the follower farm and the benches that drive it share, without the farm's side effects (a server).
import type { ChildProcess } from 'node:child_process';

export type Mode = 'healthy' | 'error500' | 'rate429' | 'gone410' | 'hang';
export const BAD_MODES: Mode[] = ['error500', 'rate429', 'gone410', 'hang'];

/** One actor per host: 127.(10 + i / 62500).(i / 250 % 250).(1 + i % 250), far from 127.0.0.x. */
export function hostAddress(i: number): string {
  return `127.${10 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;
}

/** Which hosts misbehave: `percent` of them for each bad mode, spread evenly over the farm. */
export function modeOf(i: number, n: number, percent: number): Mode {
  const bad = Math.round((n * percent) / 100);
  if (bad === 0) return 'healthy';
  const step = Math.floor(n / (bad * BAD_MODES.length));
  if (step < 1 || i % step !== 0) return 'healthy';
  const slot = i / step;
  return slot < bad * BAD_MODES.length ? BAD_MODES[slot % BAD_MODES.length] : 'healthy';
}

export interface Receipt {
  i: number;
  id: string;
  type: string;
  objectId: string | null;
  at: number;
  path: string;
}

export type FarmRequest =
  | { type: 'follow'; target: string; inbox: string; concurrency: number }
  | { type: 'misbehave'; on: boolean }
  | { type: 'receipts'; objectSuffix: string }
  | { type: 'count'; objectSuffix: string }
  | { type: 'await'; objectSuffix: string; count: number }
  | {
      type: 'blast';
      inbox: string;
      herald: string;
      postUrl: string;
      total: number;
      concurrency: number;
      tag: string;
      /** Requests started per second at most (a steady load); unset, as fast as `concurrency` allows. */
      rate?: number;
    }
  | { type: 'stop' };

export type FarmMessage =
  | { type: 'listening'; port: number }
  | { type: 'followed'; sent: number; failed: number; statuses: Record<string, number> }
  | { type: 'receipts'; receipts: Receipt[]; hanging: number }
  | { type: 'count'; count: number }
  | { type: 'blast-ready'; signMs: number }
  | {
      type: 'blasted';
      sent: Array<{ remoteId: string; at: number }>;
      statuses: Record<string, number>;
      latencies: number[];
      startedAt: number;
      endedAt: number;
      /** The farm's own CPU over the blast (it also serves actor documents, which a warm run no longer asks for). */
      cpuMs: number;
    }
  | { type: 'arrived'; objectSuffix: string; count: number; unsigned: number; at: number };

/**
 * Sends the farm a request (or none, to only listen) and resolves with its first answer of this type
 * that passes `test`.
 */
export function askFarm<T extends FarmMessage['type']>(
  farm: ChildProcess,
  request: FarmRequest | null,
  answer: T,
  test?: (message: Extract<FarmMessage, { type: T }>) => boolean,
): Promise<Extract<FarmMessage, { type: T }>> {
  return new Promise((done) => {
    const listener = (message: FarmMessage) => {
      if (message.type !== answer) return;
      if (test && !test(message as Extract<FarmMessage, { type: T }>)) return;
      farm.off('message', listener);
      done(message as Extract<FarmMessage, { type: T }>);
    };
    farm.on('message', listener);
    if (request) farm.send(request);
  });
}
