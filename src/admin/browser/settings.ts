import { announce, pageData, patch } from './console-api.js';
import { wireNetworkStatus } from './network-status.js';

/** Profile settings: saves the changed fields through the profiles API. */
const { profileId } = pageData<{ profileId: string }>();
const form = document.getElementById('settings') as HTMLFormElement;
wireNetworkStatus();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? '').trim();
  const body: Record<string, unknown> = {
    displayName: text('displayName'),
    bio: text('bio'),
    // A cleared field is sent as null, which removes the value (undefined would keep the old one).
    organisationType: text('organisationType') || null,
    managedBy: text('managedBy') || null,
    website: text('website') || null,
    requiresApproval: fields.get('requiresApproval') === 'on',
    longPostMode: text('longPostMode'),
  };
  try {
    await patch(`/api/profiles/${profileId}`, body);
    announce('Settings saved.');
  } catch (error) {
    announce((error as Error).message, true);
  }
});
