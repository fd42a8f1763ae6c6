export const ROLES = ['admin', 'editor', 'approver', 'moderator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Who may read a profile's inbox, through the API and in the console alike; triage needs a moderator. */
export const INBOX_READERS: Role[] = ['moderator', 'analyst'];
