// Quick start: builds nothing (npm start builds first), starts a local Redis if one is
// installed but not running, then runs Herald. PostgreSQL is embedded unless DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const redisUrl = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const local = ['127.0.0.1', 'localhost', '[::1]'].includes(redisUrl.hostname);

function answers(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const port = Number(redisUrl.port || 6379);
if (local && !(await answers('127.0.0.1', port))) {
  const started = spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port)], { stdio: 'inherit' });
  if (started.error) {
    console.error(
      'Herald needs Redis and none is running. Install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), or run `docker compose up -d redis`, then try again.',
    );
    process.exit(1);
  }
}
await import('../dist/src/main.js');
