// The inbound benchmark's baseline: the least any inbox does with the same requests. A node:http server in its own
// process that reads each body, parses it as JSON and answers 202: no signature check, no queue, no framework.
// Herald's accepted/s and CPU per activity are printed against it, measured in the same run with the same load
// generator, since on these machines a socket round trip alone costs a large share of the budget.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'text/plain' }).end('Activity is enqueued.');
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port }));
process.on('message', (message: { type: string }) => {
  if (message.type !== 'usage') return;
  const cpu = process.cpuUsage();
  process.send?.({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, rssMb: Math.round(process.memoryUsage.rss() / 1e6) });
});
