import { XRPCError } from '@atproto/api';
import { AdapterError } from '../../publishing/protocol-adapter.js';

/** Maps an XRPC failure to Herald's failure classes and rethrows it. */
export function classifyXrpcError(error: unknown): never {
  if (error instanceof XRPCError) {
    const message = `${error.error ?? 'XRPCError'}: ${error.message}`;
    if (error.status === 401 || error.error === 'ExpiredToken' || error.error === 'InvalidToken') {
      throw new AdapterError(message, 'reauthenticate', { cause: error });
    }
    if (error.status >= 400 && error.status < 500 && error.status !== 429) {
      throw new AdapterError(message, 'permanent', { cause: error });
    }
    throw new AdapterError(message, 'retry', { cause: error });
  }
  throw error;
}
