// Summarises a V8 .cpuprofile: self time by function and by package, and inclusive time by function (the time
// spent in it and everything it called, as a share of the busy time), optionally only within a window of
// seconds from the profile's start (busy 2-second buckets are listed to find it).
// Usage: node profile-summary.mjs file.cpuprofile [top] [fromSeconds] [toSeconds]
import { readFileSync } from 'node:fs';
const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 40);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const dt = profile.timeDeltas;
const from = Number(process.argv[4] ?? 0) * 1e6;
const to = Number(process.argv[5] ?? Infinity) * 1e6;
const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
const buckets = new Map();
let t = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  t += dt[i] ?? 0;
  const bucket = Math.floor(t / 2e6) * 2;
  if (!idle.has(profile.samples[i])) buckets.set(bucket, (buckets.get(bucket) ?? 0) + (dt[i] ?? 0));
  if (t < from || t > to) continue;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
}
console.log(
  'busy 2 s buckets (s from start: ms busy):',
  [...buckets]
    .filter(([, us]) => us > 300_000)
    .map(([b, us]) => `${b}:${Math.round(us / 1000)}`)
    .join(' '),
);
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  const group = m
    ? m[1]
    : where.includes('/dist/src/')
      ? 'herald'
      : where.startsWith('node:')
        ? where
        : f.url
          ? 'other'
          : `(${f.functionName || 'native'})`;
  const key = `${f.functionName || '(anon)'} ${where.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  pkg.set(group, (pkg.get(group) ?? 0) + us);
}
const pr = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, v]) => console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
console.log('--- by package');
pr(pkg, 25);
console.log('--- by function');
pr(fn, top);
// Inclusive: each sample counts once for every distinct function on its stack, idle samples not at all.
const inclusive = new Map();
let busy = 0;
for (const [id, us] of self) {
  if (idle.has(id)) continue;
  busy += us;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
    const { callFrame: f } = byId.get(cur);
    const key = `${f.functionName || '(anon)'} ${f.url
      .replace(/^file:\/\//, '')
      .split('/')
      .slice(-2)
      .join('/')}:${f.lineNumber}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
console.log(`--- inclusive, share of ${(busy / 1000).toFixed(0)} ms busy`);
[...inclusive]
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)
  .forEach(([k, v]) => console.log(`${((v / busy) * 100).toFixed(1).padStart(5)}%  ${k}`));
