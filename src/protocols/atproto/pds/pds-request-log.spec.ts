import { Writable } from 'node:stream';
import { pino } from 'pino';
import { levelForStatus, logRefusalsByStatus } from './pds-request-log.js';

describe('PDS request logging', () => {
  it('keeps error level for server failures and lowers refusals', () => {
    expect(levelForStatus(500)).toBe('error');
    expect(levelForStatus(502)).toBe('error');
    expect(levelForStatus(undefined)).toBe('error');
    expect(levelForStatus(401)).toBe('warn');
    expect(levelForStatus(403)).toBe('warn');
    expect(levelForStatus(429)).toBe('warn');
    expect(levelForStatus(400)).toBe('info');
    expect(levelForStatus(404)).toBe('info');
  });

  it("writes the XRPC server's error lines at the level of their status, with their fields, through the request's logger", () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const request = { log: pino({ level: 'info', base: { service: 'herald' } }, sink).child({ req: { id: 7 } }) };
    logRefusalsByStatus(request);
    // The shape @atproto/xrpc-server's error middleware logs.
    request.log.error({ nsid: 'com.atproto.server.createSession', status: 401, name: 'xrpc-server' }, 'AuthenticationRequired error');
    request.log.error({ nsid: 'com.atproto.repo.getRecord', status: 400 }, 'InvalidRequest error');
    request.log.error({ nsid: 'com.atproto.repo.createRecord', status: 500 }, 'InternalServerError error');
    request.log.info('request completed');
    expect(lines.map((line) => [line.level, line.status, line.msg])).toEqual([
      [40, 401, 'AuthenticationRequired error'],
      [30, 400, 'InvalidRequest error'],
      [50, 500, 'InternalServerError error'],
      [30, undefined, 'request completed'],
    ]);
    expect(lines[0]).toMatchObject({ service: 'herald', req: { id: 7 }, nsid: 'com.atproto.server.createSession' });
  });
});
