import type { StaffPrincipal } from '../../access/staff-principal.js';
import type { NetworkStatus } from '../../publishing/network-status.rules.js';
import { networkStatusPartial } from './network-status.partial.js';

const status: NetworkStatus = {
  protocol: 'atproto',
  network: 'Bluesky',
  state: 'needs action',
  summary: 'Bluesky: the account has not been created yet.',
  action: 'Press Try now to create it (Herald also does when the profile is saved or a post goes out).',
  lastWorkedAt: null,
  lastAttemptAt: null,
  nextAttemptAt: null,
  failures: 0,
  lastError: null,
};
const staff = (roles: StaffPrincipal['roles']): StaffPrincipal => ({ id: 's', email: 's@example.test', displayName: 'S', roles });

describe('networkStatusPartial', () => {
  it('gives admins the Try now button and its advice', () => {
    const page = String(networkStatusPartial(staff(['admin']), 'p', [status]));
    expect(page).toContain('data-action="try-now"');
    expect(page).toContain('Press Try now to create it');
  });

  it('tells everyone else to ask an admin, whatever the case of the advice, and shows no button', () => {
    const page = String(networkStatusPartial(staff(['approver']), 'p', [status, { ...status, action: 'Fix it, then press Try now.' }]));
    expect(page).not.toContain('data-action="try-now"');
    expect(page).toContain('Ask an admin to press Try now to create it');
    expect(page).toContain('Fix it, then ask an admin to press Try now.');
    expect(page).not.toMatch(/[^a-z]Press Try now|, press Try now/);
  });
});
