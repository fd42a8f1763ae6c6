export const ROLES = ['admin', 'editor', 'approver', 'moderator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
