import { Injectable } from '@nestjs/common';
import type { Protocol } from '../common/protocol.js';
import type { ProtocolAdapter } from './protocol-adapter.js';

/** Protocol modules register their adapter here when they start. */
@Injectable()
export class ProtocolAdapterRegistry {
  private readonly adapters = new Map<Protocol, ProtocolAdapter>();

  register(adapter: ProtocolAdapter): void {
    this.adapters.set(adapter.protocol, adapter);
  }

  get(protocol: Protocol): ProtocolAdapter | undefined {
    return this.adapters.get(protocol);
  }

  all(): ProtocolAdapter[] {
    return [...this.adapters.values()];
  }
}
