import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { StaffService } from './auth/staff.service.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { loadEnvFile } from './config/env-file.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrator.js';
import { DomainError } from './common/domain-errors.js';

const USAGE = `Usage:
  herald migrate
  herald create-admin --email <address> [--name <display name>]
      The password is read from HERALD_ADMIN_PASSWORD, or generated and printed.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'migrate' && command !== 'create-admin') {
    console.error(USAGE);
    process.exit(2);
  }
  loadEnvFile();
  const config = loadConfig(process.env);
  const embedded = config.database.url ? null : await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort);
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot(config.database.url ?? embedded!.url, config.database.schema),
      AuditModule,
      AuthModule,
    ],
  })
  class CliModule {}
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const applied = await runMigrations(app.get(DataSource));
    if (command === 'migrate') {
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      return;
    }
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
    if (!values.email) throw new Error(`--email is required\n${USAGE}`);
    const generated = !process.env.HERALD_ADMIN_PASSWORD;
    const password = process.env.HERALD_ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
    const admin = await app
      .get(StaffService)
      .create({ email: values.email, displayName: values.name ?? 'Administrator', password, roles: ['admin'] }, null);
    console.log(`Created admin ${admin.email}.`);
    console.log(`Log in at ${config.http.publicUrl.origin}/admin/login (while Herald runs: npm start) with this e-mail address`);
    if (generated) console.log(`and the password ${password}\nthen change it under “My account” in the console.`);
    else console.log('and the password from HERALD_ADMIN_PASSWORD.');
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof DomainError || error instanceof Error ? error.message : error);
  process.exit(1);
});
