import { announce, post, replaceWithFragment } from './console-api.js';

/**
 * The Networks section: Try now asks the hub to attempt at once, then shows the
 * network's fresh status (server-rendered) and says in words how it went.
 */
export function wireNetworkStatus(): void {
  document.addEventListener('click', async (event) => {
    const button = (event.target as Element | null)?.closest('button[data-action="try-now"]') as HTMLButtonElement | null;
    const section = button?.closest('#network-status') as HTMLElement | null;
    if (!button || !section) return;
    const profileId = section.dataset.profileId;
    const protocol = button.dataset.protocol;
    button.disabled = true;
    announce('Trying now…');
    try {
      const status = await post<{ state: string; summary: string }>(`/api/profiles/${profileId}/networks/${protocol}/try-now`);
      await replaceWithFragment(section, `/admin/profiles/${profileId}/networks`);
      announce(status.state === 'ready' ? `${status.summary}` : `Still not ready. ${status.summary}`, status.state !== 'ready');
    } catch (error) {
      button.disabled = false;
      announce((error as Error).message, true);
    }
  });
}
