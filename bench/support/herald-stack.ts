// A real Herald for benchmarks: its own PostgreSQL database, its own redis-server (no persistence), a web
// and a worker process built from dist/ (or one hub process: `hub: true`), an admin and one ActivityPub profile. Everything is removed by
// stop(), on failure too. Also reads the CPU time of its processes (and of its PostgreSQL backends) from
// /proc, so a bench can charge a run with all the CPU it cost, not only the Node processes'.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'bench@example.test', password: 'benchmarks only, not a secret' };
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `--name=value` arguments by name; `--flag` alone means `true` (--keep, --explain). */
export function flagArgs(argv = process.argv.slice(2)): Record<string, string | undefined> {
  return Object.fromEntries(
    argv.map((arg) => {
      const [name, value = 'true'] = arg.replace(/^--/, '').split('=');
      return [name, value];
    }),
  );
}

/** SIGTERM, up to 10 s to exit, then SIGKILL for what is left. */
export async function stopChildren(children: Iterable<ChildProcess>): Promise<void> {
  const running = [...children].filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.race([Promise.all(running.map((child) => (child.exitCode === null ? once(child, 'exit') : null))), sleep(10_000)]);
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** One statement on a server's admin connection (CREATE DATABASE, DROP DATABASE), for benches given `--database`. */
export async function adminSql(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Ends every connection to a bench's database and drops it. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  } finally {
    await admin.end();
  }
}

/** Writes a bench's printed lines to `out` (relative to the repository), when one was asked for. */
export async function writeResults(root: string, out: string | undefined, lines: string[]): Promise<void> {
  if (!out) return;
  const path = resolve(root, out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
  console.log(`written to ${path}`);
}

/** Each role's heap budget, as `npm start` (all) and docker-compose.yml (web, worker) run Herald (README, "Memory"). */
export const HEAP_BUDGET_MB = { all: 512, web: 384, worker: 256 } as const;
/**
 * Node options every way of running Herald passes (npm start, the Docker image, docker-compose.yml): AsyncLocalStorage
 * on context frames, Node 24's default, instead of a hook on every promise (Fedify's log context and the fan-out
 * scope use it; the hooks cost the inbox worker about a tenth of its CPU).
 */
export const RUNTIME_FLAGS = ['--experimental-async-context-frame'] as const;

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** user + system CPU of a process in ms, from /proc (0 once it is gone). */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident set size of a process in MB, from /proc (0 once it is gone). */
export function rssMbOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown';
  return (
    `${execFileSync('nproc').toString().trim()} cores (nproc), cpu "${model}", ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ` +
    `load average ${loadavg()[0].toFixed(1)} at start (shared machine)`
  );
}

export function commit(root: string): string {
  return execFileSync('git', ['-C', root, 'describe', '--always', '--dirty']).toString().trim();
}

export interface HeraldStack {
  url: string;
  token: string;
  profileId: string;
  handle: string;
  db: pg.Pool;
  /** The process serving HTTP: role `web`, or `all` for a hub. */
  web: ChildProcess;
  /** The worker-only processes; none for a hub, whose one process does the work too. */
  workers: ChildProcess[];
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** CPU ms so far of web, the workers (summed), redis-server and this database's PostgreSQL backends. */
  cpu(): Promise<{ web: number; worker: number; redis: number; postgres: number }>;
  /** Resolves once web and worker are done starting: together under 40 ms of CPU in a second (at most 90 s). */
  settled(): Promise<void>;
  /** Samples RSS of web and the workers every 200 ms until stopped; returns the peaks in MB (worker: the largest process's). */
  watchRss(): () => { web: number; worker: number };
  logTail(role: 'web' | 'worker', lines?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface HeraldStackOptions {
  name: string;
  env?: Record<string, string>;
  /** One process with HERALD_ROLE=all and the embedded PDS, as a one-machine install runs, instead of web + worker. */
  hub?: boolean;
  /** Worker processes beside the web process (not for a hub); default 1. */
  workers?: number;
}

export async function startHeraldStack(root: string, options: HeraldStackOptions): Promise<HeraldStack> {
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const dbName = `herald_${options.name}_${tag}`;
  const children = new Set<ChildProcess>();
  let dataDir = '';
  let dbCreated = false;
  let db: pg.Pool | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await db?.end().catch(() => undefined);
    await stopChildren(children);
    if (dbCreated) await dropDatabase(dbName);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    dataDir = await mkdtemp(join(tmpdir(), `herald-${options.name}-`));
    const admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    dbCreated = true;
    await admin.end();
    db = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:5432/${dbName}`, max: 2, application_name: 'bench' });
    db.on('error', () => undefined);

    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    children.add(redis);
    await waitForRedis(redisPort);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = (role: 'web' | 'worker' | 'all'): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // BENCH_NODE_OPTIONS: V8 or Node options for Herald's processes only (e.g. a heap limit under trial).
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      NODE_ENV: 'development',
      HERALD_ROLE: role,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: join(dataDir, 'herald'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      REDIS_PREFIX: `bench-${tag}`,
      LOG_LEVEL: 'warn',
      ALLOW_PRIVATE_ADDRESS: 'true',
      // A hub embeds the PDS (the default for role all); split processes leave it out.
      ...(role === 'all' ? {} : { HERALD_PDS: 'false', ATPROTO_PDS_URL: url }),
      ...options.env,
    });
    const start = (role: 'web' | 'worker' | 'all', nth = 1) => {
      const log = createWriteStream(join(dataDir, `${role === 'all' ? 'web' : role}${nth > 1 ? `-${nth}` : ''}.log`));
      // BENCH_CPU_PROF=<dir>: each Herald process writes a V8 CPU profile there when it stops.
      const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
      // Run as deployed: each role with its heap budget, unless BENCH_NODE_OPTIONS says otherwise.
      const heap = process.env.BENCH_NODE_OPTIONS ? [] : [`--max-old-space-size=${HEAP_BUDGET_MB[role]}`];
      const child = spawn(process.execPath, [...heap, ...RUNTIME_FLAGS, ...profile, join(root, 'dist/src/main.js')], {
        env: env(role),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      children.add(child);
      return child;
    };
    const web = start(options.hub ? 'all' : 'web');
    await waitForWeb(web, url);
    const cli = spawn(process.execPath, [join(root, 'dist/src/cli.js'), 'create-admin', '--email', ADMIN.email], {
      env: { ...env('web'), HERALD_ADMIN_PASSWORD: ADMIN.password },
      stdio: 'ignore',
    });
    const [code] = await once(cli, 'exit');
    if (code !== 0) throw new Error(`create-admin exited with ${code}`);
    let token = '';
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    token = (await api<{ token: string }>('POST', '/api/auth/login', ADMIN)).token;
    const handle = 'bench';
    const profile = await api<{ id: string }>('POST', '/api/profiles', {
      handle,
      domain: 'bench.example.org',
      displayName: 'Bench',
      protocols: ['activitypub'],
    });
    const workers = options.hub ? [] : Array.from({ length: options.workers ?? 1 }, (_, i) => start('worker', i + 1));
    const workersCpu = () => workers.reduce((sum, child) => sum + cpuMsOf(child.pid), 0);
    const pool = db;
    // PostgreSQL backends come and go with the pools: each one's CPU is sampled every 250 ms and its last
    // reading kept, so a backend that ended between two cpu() calls still counts (up to its last sample).
    const postgresCpu = new Map<number, number>();
    const samplePostgres = async () => {
      const { rows } = await pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name <> 'bench'`,
        [dbName],
      );
      for (const { pid } of rows) postgresCpu.set(pid, Math.max(postgresCpu.get(pid) ?? 0, cpuMsOf(pid)));
    };
    const sampling = setInterval(() => void samplePostgres().catch(() => undefined), 250);
    sampling.unref();
    return {
      url,
      token,
      profileId: profile.id,
      handle,
      db: pool,
      web,
      workers,
      api,
      async cpu() {
        await samplePostgres();
        return {
          web: cpuMsOf(web.pid),
          worker: workersCpu(),
          redis: cpuMsOf(redis.pid),
          postgres: [...postgresCpu.values()].reduce((sum, ms) => sum + ms, 0),
        };
      },
      async settled() {
        const deadline = Date.now() + 90_000;
        let last = cpuMsOf(web.pid) + workersCpu();
        while (Date.now() < deadline) {
          await sleep(1000);
          const now = cpuMsOf(web.pid) + workersCpu();
          if (now - last < 40) return;
          last = now;
        }
      },
      watchRss() {
        const peak = { web: 0, worker: 0 };
        const timer = setInterval(() => {
          peak.web = Math.max(peak.web, rssMbOf(web.pid));
          for (const child of workers) peak.worker = Math.max(peak.worker, rssMbOf(child.pid));
        }, 200);
        return () => {
          clearInterval(timer);
          return { web: Math.round(peak.web), worker: Math.round(peak.worker) };
        };
      },
      async logTail(role, lines = 20) {
        const text = await readFile(join(dataDir, `${role}.log`), 'utf8').catch(() => '');
        return text.split('\n').slice(-lines).join('\n');
      },
      stop,
    };
  } catch (error) {
    const log = dataDir ? await readFile(join(dataDir, 'web.log'), 'utf8').catch(() => '') : '';
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- web log\n${log.split('\n').slice(-15).join('\n')}`, {
      cause: error,
    });
  }
}

export async function waitForRedis(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const ok = await client
      .connect()
      .then(() => client.ping())
      .then(() => true)
      .catch(() => false);
    client.disconnect();
    if (ok) return;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await sleep(100);
  }
}

async function waitForWeb(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald web exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/.well-known/nodeinfo`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(300);
  }
  throw new Error('Herald web did not answer within 300 s');
}
