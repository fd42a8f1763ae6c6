// The test suites, under the project's pinned Node 22 (npm puts node_modules/.bin first on PATH).
//
//   npm test                  everything CI runs: PostgreSQL and Redis, Chromium (only when browser tests
//                             will run), type-check, lint, then every jest project
//   npm run test:unit         unit tests only: no services, no servers (seconds)
//   npm run test:integration  tests on a real PostgreSQL and Redis, without a Herald
//   npm run test:e2e          Heralds, peers and networks over loopback, and the browser tests
//
// Arguments after `--` go to jest (a path, -t 'name', --detectOpenHandles, …).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

const SUITES = ['unit', 'integration', 'e2e'];
// Async context frames as Herald is run (bench/support/herald-stack.ts, RUNTIME_FLAGS): the in-process Heralds behave as deployed.
const JEST = [
  '--experimental-vm-modules',
  '--experimental-async-context-frame',
  '--no-warnings=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
  '--ci',
];

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.version} is too old; run through npm (npm test) so the pinned Node 22 is used.`);
  process.exit(1);
}

const suite = process.argv[2] === '--suite' ? process.argv[3] : undefined;
if (suite !== undefined && !SUITES.includes(suite)) {
  console.error(`Unknown suite ${suite}; one of: ${SUITES.join(', ')}.`);
  process.exit(1);
}
// --selectProjects takes every value after it, so it goes last.
const jestArgs = [...process.argv.slice(suite ? 4 : 2), ...(suite ? ['--selectProjects', suite] : [])];

const failed = [];
function step(name, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`\n── ${name}: ${ok ? 'passed' : 'FAILED'} (${seconds} s)\n`);
  if (!ok) failed.push(name);
  return ok;
}

/** Whether jest, given these arguments, will run a test that drives Chromium. */
function browserTestsWillRun() {
  const listed = spawnSync(process.execPath, [...JEST, '--listTests', ...jestArgs], { encoding: 'utf8' });
  if (listed.status !== 0) return true;
  return listed.stdout
    .split('\n')
    .filter((line) => isAbsolute(line))
    .some((file) => readFileSync(file, 'utf8').includes('/support/browser.js'));
}

if (suite !== 'unit') {
  // Without PostgreSQL and Redis nothing below can pass; stop here with the script's advice.
  if (!step('PostgreSQL and Redis', 'bash', ['scripts/ensure-services.sh'])) process.exit(1);
}
if (suite !== 'unit' && suite !== 'integration' && browserTestsWillRun()) step('Chromium', 'bash', ['scripts/ensure-chromium.sh']);
if (!suite) {
  // Type errors and lint problems fail the run, but the tests still run: one CI run shows everything.
  step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('type-check (browser modules)', process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'src/admin/browser/tsconfig.json',
    '--noEmit',
  ]);
  step('lint (ESLint, Prettier, dependency-cruiser)', 'npm', ['run', '--silent', 'lint']);
}
step('jest', process.execPath, [...JEST, ...jestArgs]);

if (failed.length > 0) {
  console.error(`Failed: ${failed.join(', ')}.`);
  process.exit(1);
}
