import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import { configureSync, type LogLevel, type LogRecord, type Sink } from '@logtape/logtape';
import { pino, type Level, type Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, Level> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
};

const LOGTAPE_LEVEL: Record<Level, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
  fatal: 'fatal',
};

/** A LogTape sink that writes each record as one pino line at the matching level, its category and properties as fields. */
export function pinoSink(logger: Logger): Sink {
  return (record) => {
    logger[PINO_LEVEL[record.level]]({ category: record.category.join('.'), ...fields(record.properties) }, render(record));
  };
}

/**
 * Fedify logs through LogTape, which writes nothing until configured: without
 * this, failed deliveries, refused signatures and unparsable activities never
 * reach Herald's log. LogTape's configuration is process-wide, so the latest
 * start replaces an earlier one (several Heralds share a process only in tests).
 */
export function routeFedifyLogs(logger: Logger, lowestLevel: Level): void {
  configureSync({
    reset: true,
    // Fedify keeps request context in it; without one, LogTape warns on every record that carries context.
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { herald: pinoSink(logger) },
    filters: { notPassedThrough },
    loggers: [
      { category: ['fedify'], sinks: ['herald'], lowestLevel: LOGTAPE_LEVEL[lowestLevel], filters: ['notPassedThrough'] },
      // LogTape's own complaints (a failing sink); configured here, it stops announcing itself on the console.
      { category: ['logtape', 'meta'], sinks: ['herald'], lowestLevel: 'warning' },
    ],
  });
}

/**
 * Every request reaches Fedify first (federation.middleware.ts); what it does not serve (the console, the API,
 * the PDS's XRPC, /health) it answers 404 or 406 to the middleware, which hands it on to Nest. Fedify logs
 * each such answer as a warning; they are not trouble, so they stay out of the log.
 */
function notPassedThrough(record: LogRecord): boolean {
  const status = record.properties.status;
  return !(record.category[1] === 'federation' && record.category[2] === 'http' && (status === 404 || status === 406));
}

/** The message with its placeholders filled (LogTape keeps text and values interleaved); an error's stack stays in its field. */
function render(record: LogRecord): string {
  return record.message.map((part, index) => (index % 2 === 0 ? String(part) : placeholder(part))).join('');
}

function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return String(value);
  return inspect(value, { breakLength: Infinity });
}

/** Errors as pino serialises them (message, type, stack, cause); JSON would turn them into `{}`. */
function fields(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, value instanceof Error ? pino.stdSerializers.err(value) : value]),
  );
}
