import { SetMetadata } from '@nestjs/common';
import type { Role } from './role.js';

export const ROLES_KEY = 'herald:roles';
export const PUBLIC_KEY = 'herald:public';

/** Which roles may call a route; admin may call every route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route (or controller) open to anyone: public pages, federation, login, health. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
