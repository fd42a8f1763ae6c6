// A Herald process started from the sources (with source-hooks.mjs), configured by its environment as main.ts is:
// it tells its parent when it has started, and closes when told to stop.
import 'reflect-metadata';
import { loadConfig } from '../../src/config/app-config.js';
import { startHerald } from '../../src/herald.js';

const config = loadConfig(process.env);
const herald = await startHerald(config, config.database.url!);
process.send!({ started: true });
process.on('message', (message) => {
  if (message !== 'stop') return;
  void herald.close().finally(() => process.exit(0));
});
