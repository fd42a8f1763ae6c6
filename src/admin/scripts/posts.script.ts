import type { ConsoleApi } from './console-api.script.js';

/** Post list: actions (submit, approve, publish, delete) and live publication states. Runs in the browser. */
export function postsPage(api: ConsoleApi): void {
  const refresh = (row: Element) => api.replaceWithFragment(row, `/admin/posts/${row.getAttribute('data-post-id')}/row`);

  document.addEventListener('click', async (event) => {
    const button = (event.target as Element).closest('button[data-action]');
    const row = button?.closest('[data-post-id]');
    if (!button || !row) return;
    const action = button.getAttribute('data-action')!;
    if (action === 'delete' && !window.confirm('Delete this post everywhere it was published?')) return;
    const id = row.getAttribute('data-post-id');
    try {
      if (action === 'delete') await api.remove(`/api/posts/${id}`);
      else await api.post(`/api/posts/${id}/${action}`);
      await refresh(row);
      api.announce('Done.');
      watch();
    } catch (error) {
      api.announce((error as Error).message, true);
    }
  });

  // While anything is still on its way to a network, refresh those rows until it settles.
  let polling: number | undefined;
  function watch(): void {
    if (polling !== undefined) return;
    polling = window.setInterval(async () => {
      const pending = Array.from(document.querySelectorAll('[data-post-id][data-pending="true"]'));
      if (pending.length === 0) {
        window.clearInterval(polling);
        polling = undefined;
        return;
      }
      await Promise.all(pending.map(refresh));
    }, 1500);
  }
  watch();
}
