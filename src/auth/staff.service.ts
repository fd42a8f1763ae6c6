import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import { PasswordHasher } from './password-hasher.js';
import type { Role } from '../access/role.js';
import { SessionsRepository } from './sessions.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import type { StaffUser } from './staff-user.entity.js';
import { StaffUsersRepository } from './staff-users.repository.js';

export interface StaffInput {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
}

export interface StaffChanges {
  displayName?: string;
  roles?: Role[];
  disabled?: boolean;
  password?: string;
}

/** Staff accounts. There is no sign-up: an admin creates every account. */
@Injectable()
export class StaffService {
  constructor(
    private readonly staffUsers: StaffUsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRepository,
  ) {}

  list(): Promise<StaffUser[]> {
    return this.staffUsers.list();
  }

  /** actor is null when the CLI creates the first admin. */
  async create(input: StaffInput, actor: StaffPrincipal | null): Promise<StaffUser> {
    const passwordHash = await this.hasher.hash(input.password);
    return this.staffUsers.transaction(async (manager) => {
      if (await this.staffUsers.existsByEmail(input.email, manager)) {
        throw new ConflictError(`A staff account with e-mail ${input.email} already exists`, 'email');
      }
      const user = await this.staffUsers.insert(
        { email: input.email, displayName: input.displayName, passwordHash, roles: [...new Set(input.roles)] },
        manager,
      );
      await this.audit.insert(
        {
          actorId: actor?.id ?? null,
          action: 'staff.create',
          subjectType: 'staff_user',
          subjectId: user.id,
          details: { email: user.email, roles: user.roles },
        },
        manager,
      );
      return user;
    });
  }

  async update(id: string, changes: StaffChanges, actor: StaffPrincipal): Promise<StaffUser> {
    const passwordHash = changes.password ? await this.hasher.hash(changes.password) : undefined;
    return this.staffUsers.transaction(async (manager) => {
      const existing = await this.staffUsers.findById(id);
      if (!existing) throw new NotFoundError('Staff user', id);
      const updated = await this.staffUsers.update(
        id,
        {
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
          ...(changes.roles !== undefined ? { roles: [...new Set(changes.roles)] } : {}),
          ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
          ...(passwordHash ? { passwordHash } : {}),
        },
        manager,
      );
      if ((await this.staffUsers.countAdmins(manager)) === 0) {
        throw new ConflictError('The last active admin cannot lose the admin role or be disabled', 'roles');
      }
      // A disabled account or a new password ends every open session.
      if (changes.disabled || passwordHash) await this.sessions.deleteForUser(id, manager);
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'staff.update',
          subjectType: 'staff_user',
          subjectId: id,
          details: { ...changes, password: changes.password ? '(changed)' : undefined },
        },
        manager,
      );
      return updated;
    });
  }

  /**
   * Anyone changes their own password by giving the current one (a session left open on
   * a shared computer is not enough). Every session of the account ends, this one too.
   */
  async changeOwnPassword(actor: StaffPrincipal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.staffUsers.findForLogin(actor.email);
    if (!user || user.id !== actor.id || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new InvalidInputError('currentPassword: this is not your current password', 'currentPassword');
    }
    if (newPassword === currentPassword)
      throw new InvalidInputError('newPassword: choose a password you have not used here', 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.staffUsers.transaction(async (manager) => {
      await this.staffUsers.update(actor.id, { passwordHash }, manager);
      await this.sessions.deleteForUser(actor.id, manager);
      await this.audit.insert(
        { actorId: actor.id, action: 'staff.change_password', subjectType: 'staff_user', subjectId: actor.id },
        manager,
      );
    });
  }
}
