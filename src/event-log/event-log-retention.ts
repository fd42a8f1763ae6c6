import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventLogRepository } from './event-log.repository.js';

/**
 * Keeps the event log bounded. Events live at least as long as a staff
 * session (config enforces it), so any console that can still reconnect with
 * Last-Event-ID finds everything it missed; older ones serve nobody.
 */
@Injectable()
export class EventLogRetention {
  private readonly logger = new Logger(EventLogRetention.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: EventLogRepository,
  ) {}

  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.inbox.eventRetentionHours * 3_600_000);
    const deleted = await this.log.pruneBefore(cutoff);
    if (deleted) this.logger.log({ deleted, cutoff }, 'pruned events past retention');
    return deleted;
  }
}
