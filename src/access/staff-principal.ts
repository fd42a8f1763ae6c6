import type { Role } from './role.js';

/** The logged-in staff member, as guards and services see them. */
export interface StaffPrincipal {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
}

export function hasRole(principal: StaffPrincipal, ...roles: Role[]): boolean {
  return principal.roles.includes('admin') || roles.some((role) => principal.roles.includes(role));
}
