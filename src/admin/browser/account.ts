import { announce, post } from './console-api.js';

/** One's own password: the staff API ends every session, so the next stop is the login page. */
const form = document.getElementById('password') as HTMLFormElement;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const newPassword = String(fields.get('newPassword'));
  if (newPassword !== String(fields.get('repeatPassword'))) return announce('The two new passwords differ.', true);
  try {
    await post('/api/staff/me/password', { currentPassword: String(fields.get('currentPassword')), newPassword });
    location.href = '/admin/login?changed=1';
  } catch (error) {
    announce((error as Error).message, true);
  }
});
