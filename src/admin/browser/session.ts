import { post } from './console-api.js';

/** On every page of a signed-in staff member: the header's logout button. */
document.getElementById('logout')?.addEventListener('click', async () => {
  await post('/api/auth/logout').catch(() => undefined);
  location.href = '/admin/login';
});
