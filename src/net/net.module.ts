import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OUTGOING_HTTP_OPTIONS, OutgoingHttp, outgoingHttpOptions } from './outgoing-http.js';

/** Outgoing HTTP with time limits and the private-address check; infrastructure, like config, so global. */
@Global()
@Module({
  providers: [
    { provide: OUTGOING_HTTP_OPTIONS, useFactory: (config: AppConfig) => outgoingHttpOptions(config), inject: [APP_CONFIG] },
    OutgoingHttp,
  ],
  exports: [OutgoingHttp],
})
export class NetModule {}
