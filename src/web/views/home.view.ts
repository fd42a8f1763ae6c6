import type { PublicUrls } from '../../common/public-urls.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { html, local } from '../../common/html.js';
import { layoutView } from './layout.view.js';

/** The site's front page when it hosts several profiles (or none yet). */
export function homeView(profiles: Profile[], urls: PublicUrls): string {
  return layoutView({
    title: 'Herald profiles',
    body: html`<div class="site">
      <main id="main">
        <h1>Profiles on this Herald</h1>
        ${
          profiles.length === 0
            ? html`<p class="empty">No profiles yet.</p>`
            : html`<ul class="profile-list">
                ${profiles.map(
                  (profile) => html`<li>
                    <a href="${local(urls.profile(profile.handle))}">${profile.displayName}</a>
                    <span class="handles">@${profile.handle} · ${profile.domain}</span>
                  </li>`,
                )}
              </ul>`
        }
      </main>
    </div>`,
  });
}

export function errorView(status: number, message: string): string {
  return layoutView({
    title: status === 404 ? 'Not found' : 'Error',
    body: html`<div class="site">
      <main id="main">
        <h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1>
        <p>${message}</p>
        <p><a href="/">Home</a></p>
      </main>
    </div>`,
  });
}
