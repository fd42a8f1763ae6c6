// The whole suite: type-check (server and tests, then the browser modules), then every jest project (unit and end-to-end).
// Runs under the project's pinned Node 22 (npm puts node_modules/.bin first on PATH).
import { spawnSync } from 'node:child_process';

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.version} is too old; run through npm (npm test) so the pinned Node 22 is used.`);
  process.exit(1);
}
run('bash', ['scripts/ensure-services.sh']);
run('bash', ['scripts/ensure-chromium.sh']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/admin/browser/tsconfig.json', '--noEmit']);
run(process.execPath, [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
  '--ci',
  ...process.argv.slice(2),
]);
