import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config.js';
import { assertPortFree, PortInUseError } from './common/port-check.js';
import { loadEnvFile } from './config/env-file.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';
import { startHerald } from './herald.js';
import { RedisUnavailableError } from './queue/redis-check.js';

async function main(): Promise<void> {
  const envFile = loadEnvFile();
  if (envFile) console.log(JSON.stringify({ level: 30, msg: `Read settings from ${envFile}` }));
  const config = loadConfig(process.env);
  if (config.role !== 'worker') await assertPortFree(config.http.host, config.http.port);
  const embedded = config.database.url ? null : await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort);
  if (embedded)
    console.log(JSON.stringify({ level: 30, msg: `No DATABASE_URL: using an embedded PostgreSQL under ${config.dataDir}/postgres` }));
  const herald = await startHerald(config, config.database.url ?? embedded!.url);
  if (herald.url) {
    const consoleUrl = `${config.http.publicUrl.origin}/admin`;
    const local = `${herald.url}/admin`;
    console.log(
      JSON.stringify({
        level: 30,
        msg: `Herald (${config.role}) listening on ${config.http.host}:${config.http.port}, public URL ${config.http.publicUrl.origin}. Console: ${consoleUrl}${local === consoleUrl ? '' : ` (from this machine: ${local})`}`,
        consoleUrl,
      }),
    );
  }
  const stop = async () => {
    await herald.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof RedisUnavailableError || error instanceof PortInUseError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
