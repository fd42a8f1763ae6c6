import { createServer } from 'node:net';
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from '@fedify/fedify';
import { Create, Note } from '@fedify/vocab';
import { getLogger, resetSync } from '@logtape/logtape';
import { pino } from 'pino';
import { routeFedifyLogs } from './fedify-log.js';

interface Line {
  level: number;
  msg: string;
  category: string;
  [field: string]: unknown;
}

/** A pino logger at its most verbose whose lines land, parsed, in `lines`. */
function capture(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const logger = pino({ level: 'trace', base: { service: 'herald' } }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  return { logger, lines };
}

/** A loopback port nobody listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('routeFedifyLogs', () => {
  afterEach(() => resetSync());

  it("writes Fedify's records through pino at the mapped level, with the message filled in and the fields kept", () => {
    const { logger, lines } = capture();
    routeFedifyLogs(logger, 'warn');
    const outbox = getLogger(['fedify', 'federation', 'outbox']);
    outbox.info('below the threshold');
    getLogger(['elsewhere']).error('not a Fedify record');
    outbox.warn('Failed to send activity {activityId} to {inbox}', {
      activityId: 'https://herald.example/activities/1',
      inbox: 'https://down.example/inbox',
      error: new Error('connect ECONNREFUSED'),
    });
    outbox.error('error record');
    outbox.fatal('fatal record');

    expect(lines.map(({ level, category, msg }) => ({ level, category, msg }))).toEqual([
      {
        level: 40,
        category: 'fedify.federation.outbox',
        msg: 'Failed to send activity https://herald.example/activities/1 to https://down.example/inbox',
      },
      { level: 50, category: 'fedify.federation.outbox', msg: 'error record' },
      { level: 60, category: 'fedify.federation.outbox', msg: 'fatal record' },
    ]);
    expect(lines[0]).toMatchObject({
      service: 'herald',
      inbox: 'https://down.example/inbox',
      error: { type: 'Error', message: 'connect ECONNREFUSED' },
    });
  });

  it('maps debug and info when asked for them', () => {
    const { logger, lines } = capture();
    routeFedifyLogs(logger, 'debug');
    getLogger(['fedify', 'sig']).trace('trace record');
    getLogger(['fedify', 'sig']).debug('debug record');
    getLogger(['fedify', 'sig']).info('info record');
    expect(lines.map(({ level, msg }) => [level, msg])).toEqual([
      [20, 'debug record'],
      [30, 'info record'],
    ]);
  });

  it('leaves out the 404s and 406s of requests Fedify hands on to Nest, and keeps its other HTTP records', () => {
    const { logger, lines } = capture();
    routeFedifyLogs(logger, 'warn');
    const http = getLogger(['fedify', 'federation', 'http']);
    http.warn('{method} {path}: {status}', { method: 'GET', path: '/health/ready', status: 404 });
    http.warn('{method} {path}: {status}', { method: 'GET', path: '/admin', status: 406 });
    http.warn('{method} {path}: {status}', { method: 'POST', path: '/inbox', status: 401 });
    expect(lines.map(({ msg }) => msg)).toEqual(['POST /inbox: 401']);
  });

  it('logs a delivery to an unreachable inbox as an error', async () => {
    const { logger, lines } = capture();
    routeFedifyLogs(logger, 'warn');
    const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
    const context = federation.createContext(new URL('https://herald.example'), undefined);
    const { privateKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const actor = new URL('https://herald.example/users/newsroom');
    const inbox = new URL(`http://127.0.0.1:${await closedPort()}/inbox`);
    const activity = new Create({
      id: new URL('https://herald.example/activities/1'),
      actor,
      object: new Note({ id: new URL('https://herald.example/notes/1'), content: 'Hello' }),
    });

    await expect(
      context.sendActivity(
        { keyId: new URL(`${actor.href}#main-key`), privateKey },
        { id: new URL('https://down.example/actor'), inboxId: inbox },
        activity,
      ),
    ).rejects.toThrow();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        category: 'fedify.federation.outbox',
        msg: expect.stringContaining(`Failed to send activity https://herald.example/activities/1 to ${inbox.href}`),
      }),
    );
    // Generating an RSA key pair takes seconds on a busy 2-core machine; jest's default 5 s is too short there.
  }, 30_000);
});
