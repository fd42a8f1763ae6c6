import http from 'node:http';
import { SSE_READY_COMMENT } from '../../src/common/server-sent-events.js';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  events: SseEvent[];
  /** Resolves once `count` events have arrived in total (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/**
 * A plain HTTP client reading text/event-stream, as a browser's EventSource does.
 * An accepted stream resolves once the server's `: ready` comment arrives, so
 * whatever a test does next is seen by the stream; a refused one (4xx) at once.
 */
export function openEventStream(url: string, headers: Record<string, string>, readyTimeoutMs = 10_000): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const waiters: Array<() => void> = [];
      const accepted = response.statusCode === 200;
      const readyTimer = accepted
        ? setTimeout(() => {
            request.destroy();
            reject(new Error(`${url} sent no ": ${SSE_READY_COMMENT}" comment within ${readyTimeoutMs} ms`));
          }, readyTimeoutMs)
        : undefined;
      const connection: SseConnection = {
        status: response.statusCode ?? 0,
        events,
        waitFor(count, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(events)}`)),
              timeoutMs,
            );
            const check = () => {
              if (events.length >= count) {
                clearTimeout(timer);
                done(events.slice());
              } else waiters.push(check);
            };
            check();
          });
        },
        close() {
          clearTimeout(readyTimer);
          request.destroy();
        },
      };
      if (!accepted) {
        response.resume();
        resolve(connection);
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line === `: ${SSE_READY_COMMENT}`) {
              clearTimeout(readyTimer);
              resolve(connection);
            }
            if (line.startsWith(':') || !line) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length === 0 && !event.id) continue;
          event.data = data.join('\n');
          events.push(event);
          waiters.splice(0).forEach((wake) => wake());
        }
      });
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}
