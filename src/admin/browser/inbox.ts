import { announce, eventData, liveStream, pageData, patch, post, replaceWithFragment } from './console-api.js';

/** Unified inbox: answer, triage, and new interactions arriving live over Server-Sent Events. */
const { profileId } = pageData<{ profileId: string }>();
const list = document.getElementById('inbox-items')!;
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
      if (!text) return announce('Write an answer first.', true);
      await post(`/api/inbox/${id}/answer`, { text });
      announce('Answer sent.');
    } else {
      const labels = String(fields.get('labels') ?? '')
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean);
      await patch(`/api/inbox/${id}`, { state: fields.get('state'), labels });
      announce('Saved.');
    }
    await replaceWithFragment(row, fragmentUrl(id));
  } catch (error) {
    announce((error as Error).message, true);
  }
});

async function upsert(id: string): Promise<void> {
  const existing = list.querySelector(`[data-interaction-id="${CSS.escape(id)}"]`);
  if (existing) {
    await replaceWithFragment(existing, fragmentUrl(id));
    return;
  }
  const placeholder = document.createElement('li');
  list.prepend(placeholder);
  if (!(await replaceWithFragment(placeholder, fragmentUrl(id)))) placeholder.remove();
  document.getElementById('inbox-empty')?.remove();
}

const stream = liveStream(`/api/profiles/${profileId}/inbox/stream`, 'Live: new interactions appear here as they arrive.');
// Each event carries the interaction as the API shows it; the row itself comes rendered from the server.
for (const type of ['interaction.received', 'interaction.updated', 'interaction.withdrawn']) {
  stream.addEventListener(type, (event) => void upsert(eventData<{ id: string }>(event).id));
}
