import http from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  events: SseEvent[];
  /** Resolves when the server says it has subscribed (its `: ready` comment): nothing after that is missed. */
  ready: Promise<void>;
  /** Resolves once `count` events have arrived in total (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/** A plain HTTP client reading text/event-stream, as a browser's EventSource does. */
export function openEventStream(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const waiters: Array<() => void> = [];
      let markReady: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
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
            if (line === ': ready') markReady();
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
      resolve({
        status: response.statusCode ?? 0,
        events,
        ready,
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
          request.destroy();
        },
      });
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}
