import { announce, eventData, liveStream, pageData, post, remove, replaceWithFragment } from './console-api.js';
import { wireNetworkStatus } from './network-status.js';

/** Post list: actions (submit, approve, publish, delete, decide a pending edit) and publication states arriving live over Server-Sent Events. */
const { profileId, streamFrom } = pageData<{ profileId: string; streamFrom: string }>();
wireNetworkStatus();

/** The refresh running for each post, and whether another change came in meanwhile. */
const refreshing = new Map<string, { again: boolean; done: Promise<void> }>();

/** Re-renders a post's row from the server; changes arriving while that runs cost one more render, not one each. */
function refresh(postId: string): Promise<void> {
  const running = refreshing.get(postId);
  if (running) {
    running.again = true;
    return running.done;
  }
  const entry = { again: false, done: Promise.resolve() };
  refreshing.set(postId, entry);
  entry.done = (async () => {
    do {
      entry.again = false;
      const row = document.querySelector(`[data-post-id="${CSS.escape(postId)}"]`);
      if (row) await replaceWithFragment(row, `/admin/posts/${postId}/row`);
    } while (entry.again);
  })().finally(() => refreshing.delete(postId));
  return entry.done;
}

const ANNOUNCEMENTS: Record<string, string> = {
  retry: 'Trying again; the state changes here when the network answers.',
  'approve-revision': 'Edit approved; it goes out to every network now.',
  'reject-revision': 'Edit rejected; the published post stays as it was.',
};

document.addEventListener('click', async (event) => {
  const button = (event.target as Element).closest('button[data-action]');
  const postId = button?.closest('[data-post-id]')?.getAttribute('data-post-id');
  if (!button || !postId) return;
  const action = button.getAttribute('data-action')!;
  if (action === 'delete' && !window.confirm('Delete this post everywhere it was published?')) return;
  try {
    if (action === 'delete') await remove(`/api/posts/${postId}`);
    else if (action === 'retry') await post(`/api/posts/${postId}/retry`, { protocol: button.getAttribute('data-protocol') });
    else if (action === 'approve-revision' || action === 'reject-revision')
      await post(`/api/posts/${postId}/revisions/${button.getAttribute('data-revision-id')}/${action.replace('-revision', '')}`);
    else await post(`/api/posts/${postId}/${action}`);
    await refresh(postId);
    announce(ANNOUNCEMENTS[action] ?? 'Done.');
  } catch (error) {
    announce((error as Error).message, true);
  }
});

// From the log position the page was rendered at, so a change made meanwhile is not missed.
const stream = liveStream(
  `/api/profiles/${profileId}/publications/stream?after=${encodeURIComponent(streamFrom)}`,
  'Live: publication states change here as each network answers.',
);
stream.addEventListener('publication.updated', (event) => void refresh(eventData<{ postId: string }>(event).postId));
