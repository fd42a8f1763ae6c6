// A stand-in for N fediverse servers: one loopback HTTP server whose paths /s/{i}/inbox are N distinct
// shared inboxes. It accepts signed POSTs, counts each inbox once, and tells the parent when all arrived.
import { createServer } from 'node:http';

const expected = Number(process.argv[2]);
const seen = new Set<string>();
let requests = 0;
let unsigned = 0;

const server = createServer((req, res) => {
  const match = req.method === 'POST' ? /^\/s\/(\d+)\/inbox$/.exec(req.url ?? '') : null;
  req.resume();
  req.on('end', () => {
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    requests += 1;
    if (!req.headers.signature && !req.headers['signature-input']) unsigned += 1;
    seen.add(match[1]);
    res.writeHead(202).end();
    if (seen.size === expected) process.send?.({ type: 'done', requests, unsigned, inboxes: seen.size });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') server.close(() => process.exit(0));
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
