import type { NextFunction, Request, Response } from 'express';
import type { AtprotoAccountsRepository } from './atproto-accounts.repository.js';

/**
 * Verifies a profile's handle the HTTP way: a request for
 * `https://<profile domain>/.well-known/atproto-did` answers the account's DID.
 * The PDS answers this only for its own service domains, so Herald answers for
 * profile domains and hands every other host on to the PDS.
 */
export function handleDidMiddleware(accounts: AtprotoAccountsRepository) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    try {
      const did = await accounts.findDidByDomain(request.hostname);
      if (!did) return next();
      response.type('text/plain').send(did);
    } catch (error) {
      next(error);
    }
  };
}
