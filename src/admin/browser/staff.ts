import { announce, patch, post } from './console-api.js';

/** The staff page: adds accounts and saves each account's name, roles, password and disabled flag through the staff API. */
const rolesOf = (form: HTMLFormElement) => [...form.querySelectorAll<HTMLInputElement>('input[data-role]:checked')].map((box) => box.value);

document.getElementById('new-staff')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const fields = new FormData(form);
  const roles = rolesOf(form);
  if (roles.length === 0) return announce('Give the staff member at least one role.', true);
  try {
    await post('/api/staff', {
      email: String(fields.get('email')).trim(),
      displayName: String(fields.get('displayName')).trim(),
      password: String(fields.get('password')),
      roles,
    });
    location.reload();
  } catch (error) {
    announce((error as Error).message, true);
  }
});

async function save(id: string, changes: Record<string, unknown>, done: string): Promise<void> {
  try {
    await patch(`/api/staff/${id}`, changes);
    sessionStorage.setItem('herald-status', done);
    location.reload();
  } catch (error) {
    announce((error as Error).message, true);
  }
}

for (const row of document.querySelectorAll<HTMLElement>('[data-staff-id]')) {
  const id = row.dataset.staffId!;
  const form = row.querySelector('form')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const roles = rolesOf(form);
    if (roles.length === 0) return announce('Every staff member needs at least one role.', true);
    const changes: Record<string, unknown> = { displayName: String(fields.get('displayName')).trim(), roles };
    const password = String(fields.get('password') ?? '');
    if (password) changes.password = password;
    await save(id, changes, `Saved ${changes.displayName as string}.`);
  });
  row.querySelector<HTMLButtonElement>('[data-action]')!.addEventListener('click', async (event) => {
    const disable = (event.currentTarget as HTMLButtonElement).dataset.action === 'disable';
    await save(id, { disabled: disable }, disable ? 'Disabled; their sessions have ended.' : 'Enabled.');
  });
}

const done = sessionStorage.getItem('herald-status');
if (done) {
  sessionStorage.removeItem('herald-status');
  announce(done);
}
