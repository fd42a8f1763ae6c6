import type { ConsoleApi } from './console-api.script.js';

/** Unified inbox: answer, triage, and new interactions arriving live over Server-Sent Events. Runs in the browser. */
export function inboxPage(api: ConsoleApi): void {
  const data = api.pageData<{ profileId: string }>();
  const list = document.getElementById('inbox-items')!;
  const live = document.getElementById('live-state')!;
  const fragmentUrl = (id: string) => `/admin/inbox/${id}/item`;

  list.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const row = form.closest('[data-interaction-id]');
    if (!row) return;
    const id = row.getAttribute('data-interaction-id')!;
    const fields = new FormData(form);
    try {
      if (form.dataset.form === 'answer') {
        const text = String(fields.get('text') ?? '').trim();
        if (!text) return api.announce('Write an answer first.', true);
        await api.post(`/api/inbox/${id}/answer`, { text });
        api.announce('Answer sent.');
      } else {
        const labels = String(fields.get('labels') ?? '')
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean);
        await api.patch(`/api/inbox/${id}`, { state: fields.get('state'), labels });
        api.announce('Saved.');
      }
      await api.replaceWithFragment(row, fragmentUrl(id));
    } catch (error) {
      api.announce((error as Error).message, true);
    }
  });

  async function upsert(id: string): Promise<void> {
    const existing = list.querySelector(`[data-interaction-id="${CSS.escape(id)}"]`);
    if (existing) {
      await api.replaceWithFragment(existing, fragmentUrl(id));
      return;
    }
    const placeholder = document.createElement('li');
    list.prepend(placeholder);
    if (!(await api.replaceWithFragment(placeholder, fragmentUrl(id)))) placeholder.remove();
    document.getElementById('inbox-empty')?.remove();
  }

  const stream = new EventSource(`/api/profiles/${data.profileId}/inbox/stream`, { withCredentials: true });
  stream.addEventListener('open', () => {
    live.textContent = 'Live: new interactions appear here as they arrive.';
  });
  stream.addEventListener('error', () => {
    live.textContent = 'Live updates paused; reconnecting…';
  });
  // The stream names its events by type; each carries the interaction (or an object holding it).
  for (const type of ['interaction.received', 'interaction.updated', 'interaction.withdrawn', 'message']) {
    stream.addEventListener(type, (event) => {
      const payload = JSON.parse((event as MessageEvent<string>).data);
      const id = payload?.interaction?.id ?? payload?.id;
      if (typeof id === 'string') upsert(id);
    });
  }
}
