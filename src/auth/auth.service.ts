import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnauthenticatedError } from '../common/domain-errors.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { StaffUsersRepository } from './staff-users.repository.js';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  staff: StaffPrincipal;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  /** Verified against when the e-mail is unknown, so both paths take the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staffUsers: StaffUsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRepository,
    private readonly rateLimiter: LoginRateLimiter,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<IssuedSession> {
    const attempt = { clientAddress, email };
    await this.rateLimiter.assertAllowed(attempt);
    const user = await this.staffUsers.findForLogin(email);
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    const valid = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid || user.disabled) {
      await this.audit.insert({
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        subjectType: 'staff_user',
        subjectId: user?.id,
        details: { email },
      });
      await this.rateLimiter.recordFailure(attempt);
      throw new UnauthenticatedError('Wrong e-mail or password');
    }
    await this.rateLimiter.recordSuccess(attempt);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlHours * 3_600_000);
    await this.sessions.insert(user.id, hashToken(token), expiresAt);
    // Housekeeping where it is cheap: a user's expired sessions go when they log in again.
    await this.sessions.deleteExpiredForUser(user.id);
    await this.audit.insert({ actorId: user.id, action: 'auth.login', subjectType: 'staff_user', subjectId: user.id });
    return { token, expiresAt, staff: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles } };
  }

  async authenticate(token: string): Promise<StaffPrincipal | null> {
    const session = await this.sessions.findLive(hashToken(token));
    if (!session) return null;
    const user = await this.staffUsers.findById(session.staffUserId);
    if (!user || user.disabled) return null;
    return { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
  }

  async logout(token: string, staff: StaffPrincipal): Promise<void> {
    await this.sessions.deleteByTokenHash(hashToken(token));
    await this.audit.insert({ actorId: staff.id, action: 'auth.logout', subjectType: 'staff_user', subjectId: staff.id });
  }
}
