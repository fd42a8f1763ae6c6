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
    } else if (form.dataset.form === 'note') {
      const text = String(fields.get('text') ?? '').trim();
      if (!text) return announce('Write the note first.', true);
      await post(`/api/inbox/${id}/notes`, { text });
      announce('Note added.');
    } else {
      const labels = String(fields.get('labels') ?? '')
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean);
      const assigneeId = String(fields.get('assigneeId') ?? '') || null;
      await patch(`/api/inbox/${id}`, { state: fields.get('state'), labels, assigneeId });
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

// Bulk triage: the checked rows, one request, then the page again (rows may leave the current filter).
const bulk = document.getElementById('bulk') as HTMLFormElement | null;
const selected = () => [...list.querySelectorAll<HTMLInputElement>('input.select:checked')];

function showBulkFields(): void {
  if (!bulk) return;
  const action = (bulk.elements.namedItem('action') as HTMLSelectElement).value;
  const shown = action === 'unlabel' ? 'label' : action;
  for (const field of bulk.querySelectorAll<HTMLElement>('[data-bulk]')) field.hidden = field.dataset.bulk !== shown;
}

list.addEventListener('change', (event) => {
  if (!(event.target as Element).matches('input.select')) return;
  const count = selected().length;
  document.getElementById('bulk-count')!.textContent = count === 0 ? 'None selected' : `${count} selected`;
});

bulk?.addEventListener('change', showBulkFields);
bulk?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const ids = selected().map((box) => box.closest('[data-interaction-id]')!.getAttribute('data-interaction-id')!);
  if (ids.length === 0) return announce('Select interactions first (the box at the start of each).', true);
  const fields = new FormData(bulk);
  const action = String(fields.get('action'));
  const body: Record<string, unknown> = { ids, action };
  if (action === 'state') body.state = fields.get('state');
  if (action === 'assign') body.assigneeId = String(fields.get('assigneeId') ?? '') || null;
  if (action === 'label' || action === 'unlabel') {
    body.label = String(fields.get('label') ?? '').trim();
    if (!body.label) return announce('Type the label first.', true);
  }
  try {
    await post(`/api/profiles/${profileId}/inbox/bulk`, body);
    sessionStorage.setItem('herald-status', `Done for ${ids.length} interaction${ids.length > 1 ? 's' : ''}.`);
    location.reload();
  } catch (error) {
    announce((error as Error).message, true);
  }
});
showBulkFields();

const done = sessionStorage.getItem('herald-status');
if (done) {
  sessionStorage.removeItem('herald-status');
  announce(done);
}
