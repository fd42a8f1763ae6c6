/** Logs in through the API (which sets the session cookie), then opens the console. */
const form = document.getElementById('login') as HTMLFormElement;
const status = document.getElementById('console-status')!;
const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;

/** After too many failed logins the server names a wait (Retry-After): count it down with the button off. */
function waitBeforeRetry(seconds: number): void {
  submit.disabled = true;
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      submit.disabled = false;
      status.textContent = 'You may try again now.';
      status.classList.remove('error');
      return;
    }
    status.textContent = `Too many failed logins. Try again in ${left} s.`;
    setTimeout(tick, 1000);
  };
  tick();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  status.textContent = 'Logging in…';
  status.classList.remove('error');
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: fields.get('email'), password: fields.get('password') }),
    credentials: 'same-origin',
  }).catch(() => null);
  // Read the whole answer first: leaving the page mid-body would abort the request.
  const body: { message?: string } | null = response ? await response.json().catch(() => null) : null;
  const retryAfter = Number(response?.headers.get('retry-after'));
  if (response?.status === 429 && retryAfter > 0) {
    status.classList.add('error');
    waitBeforeRetry(retryAfter);
    return;
  }
  if (!response?.ok) {
    status.textContent = body?.message ?? 'Could not reach the server.';
    status.classList.add('error');
    return;
  }
  const next = new URLSearchParams(location.search).get('next') ?? '';
  // Only paths inside the console, so a crafted link cannot send staff elsewhere after login.
  location.href = /^\/admin(\/|$)/.test(next) && !next.startsWith('//') ? next : '/admin';
});
