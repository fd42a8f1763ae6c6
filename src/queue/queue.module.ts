import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { JobSchedulers } from './job-schedulers.js';
import { QUEUES } from './queues.js';
import { redisConnectionOptions } from './redis-connection.js';

/** BullMQ on Redis. Redis holds queues only; PostgreSQL says what must still happen. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const bull = BullModule.forRoot({
      prefix: config.redis.prefix,
      connection: redisConnectionOptions(config.redis.url),
    });
    const queues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));
    return { module: QueueModule, imports: [bull, queues], providers: [JobSchedulers], exports: [bull, queues, JobSchedulers] };
  }
}
