import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../access/role.js';
import { StaffUser } from './staff-user.entity.js';

export interface NewStaffUser {
  email: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
}

@Injectable()
export class StaffUsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string): Promise<StaffUser | null> {
    return this.dataSource.getRepository(StaffUser).findOneBy({ id });
  }

  /** With the password hash, for login only. */
  findForLogin(email: string): Promise<StaffUser | null> {
    return this.dataSource
      .getRepository(StaffUser)
      .createQueryBuilder('staff')
      .addSelect('staff.passwordHash')
      .where('lower(staff.email) = lower(:email)', { email })
      .getOne();
  }

  existsByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(StaffUser).createQueryBuilder('staff').where('lower(staff.email) = lower(:email)', { email }).getExists();
  }

  countAdmins(manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager
      .getRepository(StaffUser)
      .createQueryBuilder('staff')
      .where(`'admin' = ANY(staff.roles) AND NOT staff.disabled`)
      .getCount();
  }

  list(): Promise<StaffUser[]> {
    return this.dataSource.getRepository(StaffUser).find({ order: { createdAt: 'ASC' } });
  }

  async insert(user: NewStaffUser, manager: EntityManager): Promise<StaffUser> {
    const saved = await manager.getRepository(StaffUser).save(manager.create(StaffUser, user));
    return await manager.getRepository(StaffUser).findOneByOrFail({ id: saved.id });
  }

  async update(
    id: string,
    changes: Partial<Pick<StaffUser, 'displayName' | 'roles' | 'disabled' | 'passwordHash'>>,
    manager: EntityManager,
  ): Promise<StaffUser> {
    await manager.getRepository(StaffUser).update({ id }, changes);
    return manager.getRepository(StaffUser).findOneByOrFail({ id });
  }
}
