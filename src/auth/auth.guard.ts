import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../common/domain-errors.js';
import { AuthService } from './auth.service.js';
import type { AuthenticatedRequest } from '../access/current-staff.decorator.js';
import type { Role } from '../access/role.js';
import { PUBLIC_KEY, ROLES_KEY } from '../access/roles.decorator.js';
import { hasRole } from '../access/staff-principal.js';
import { sessionFrom, type PresentedSession } from './session-token.js';

/** Set by the console's scripts; a form on another site cannot add a header, and CORS stops other scripts. */
export const CONSOLE_REQUEST_HEADER = 'x-herald-console';

/**
 * A cookie-authenticated write without the console header could be a forged cross-site request (CSRF).
 * Only a bearer token exempts a request: the browser attaches cookies (and Basic credentials) by itself,
 * never a bearer token, so any other Authorization header proves nothing.
 */
function isCrossSiteRisk(session: PresentedSession, request: { headers: Record<string, string>; method: string }): boolean {
  if (session.via === 'bearer' || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  return request.headers[CONSOLE_REQUEST_HEADER] !== '1';
}

/**
 * Global guard: every route needs a staff session unless marked @Public(),
 * and a route with @Roles() needs one of those roles. A route without
 * @Roles() is open to every logged-in staff member.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string>; method: string }>();
    const session = sessionFrom(request.headers);
    if (session && isCrossSiteRisk(session, request)) {
      throw new ForbiddenError(`A console request that changes something must carry the ${CONSOLE_REQUEST_HEADER} header`);
    }
    const token = session?.token;
    const staff = token ? await this.auth.authenticate(token) : null;
    if (!staff) throw new UnauthenticatedError('Log in first: this route needs a staff session');
    request.staff = staff;
    request.sessionToken = token;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !hasRole(staff, ...roles)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
