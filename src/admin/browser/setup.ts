import { announce, el, patch, post } from './console-api.js';

/**
 * First run: creates the profile, then uploads its avatar and banner (media belong
 * to a profile, so they can only follow it) and sets them, then opens Compose.
 */
const form = document.getElementById('setup') as HTMLFormElement;

async function upload(profileId: string, name: 'avatar' | 'banner'): Promise<string | undefined> {
  const file = (document.getElementById(`${name}-file`) as HTMLInputElement).files?.[0];
  if (!file) return undefined;
  const body = new FormData();
  body.append('file', file);
  body.append('altText', (document.getElementById(`${name}-alt`) as HTMLInputElement).value.trim());
  return (await post<{ id: string }>(`/api/profiles/${profileId}/media`, body)).id;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? '').trim();
  for (const name of ['avatar', 'banner']) {
    const chosen = (document.getElementById(`${name}-file`) as HTMLInputElement).files?.length;
    if (chosen && !(document.getElementById(`${name}-alt`) as HTMLInputElement).value.trim()) {
      return announce(`Describe the ${name} image (alt text) before creating the profile.`, true);
    }
  }
  const protocols = [...form.querySelectorAll<HTMLInputElement>('input[data-protocol]:checked')].map((box) => box.value);
  if (protocols.length === 0) return announce('Choose at least one network.', true);
  const body: Record<string, unknown> = {
    displayName: text('displayName'),
    handle: text('handle'),
    domain: text('domain'),
    protocols,
    requiresApproval: text('requiresApproval') === 'true',
  };
  for (const name of ['bio', 'organisationType', 'website', 'managedBy']) if (text(name)) body[name] = text(name);
  announce('Creating the profile…');
  let profileId: string | undefined;
  try {
    profileId = (await post<{ id: string }>('/api/profiles', body)).id;
    const images: Record<string, string> = {};
    const avatar = await upload(profileId, 'avatar');
    if (avatar) images.avatarMediaId = avatar;
    const banner = await upload(profileId, 'banner');
    if (banner) images.bannerMediaId = banner;
    if (Object.keys(images).length) await patch(`/api/profiles/${profileId}`, images);
    location.href = `/admin/profiles/${profileId}/compose?welcome=1`;
  } catch (error) {
    const message = (error as Error).message;
    // The profile exists even if an image failed: say so, and where to finish.
    if (!profileId) return announce(message, true);
    announce(`The profile was created, but an image was not saved: ${message}`, true);
    form.replaceWith(el('p', {}, el('a', { href: `/admin/profiles/${profileId}/compose` }, 'Continue to Compose')));
  }
});
