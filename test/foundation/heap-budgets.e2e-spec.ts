import { readFileSync } from 'node:fs';
import { HEAP_BUDGET_MB, RUNTIME_FLAGS } from '../../bench/support/herald-stack.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const budgetIn = (text: string) => [...text.matchAll(/--max-old-space-size=(\d+)/g)].map((match) => Number(match[1]));

/** The heap budgets README's "Memory" names, as each way of running Herald sets them, and as the benches measure them. */
describe('heap budgets', () => {
  it('npm start and the Docker image give the all-in-one process its budget', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(budgetIn(start)).toEqual([HEAP_BUDGET_MB.all]);
    expect(budgetIn(read('Dockerfile'))).toEqual([HEAP_BUDGET_MB.all]);
  });

  it('every way of running Herald, and the test runner, passes the runtime flags the benches measure with', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const compose = read('docker-compose.yml');
    const nodeOptions = [...compose.matchAll(/NODE_OPTIONS: (.+)/g)].map((match) => match[1]);
    expect(nodeOptions).toHaveLength(2);
    for (const flag of RUNTIME_FLAGS) {
      expect(scripts.start).toContain(flag);
      expect(read('Dockerfile')).toMatch(new RegExp(`NODE_OPTIONS="[^"]*${flag}`));
      for (const options of nodeOptions) expect(options).toContain(flag);
      expect(read('scripts/test.js')).toContain(`'${flag}'`);
    }
  });

  it('docker-compose.yml gives web and worker theirs', () => {
    const compose = read('docker-compose.yml');
    const service = (name: string) => compose.slice(compose.indexOf(`\n  ${name}:`) + 1).split(/\n {2}\w/)[0];
    expect(budgetIn(service('web'))).toEqual([HEAP_BUDGET_MB.web]);
    expect(budgetIn(service('worker'))).toEqual([HEAP_BUDGET_MB.worker]);
  });
});
