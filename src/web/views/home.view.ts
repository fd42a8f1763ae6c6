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

export function errorView(status: number, message: string, back?: string): string {
  // A 4xx is the visitor's input or link, not a fault: say what to check, and where to go back to.
  const heading = status === 404 ? 'Not found' : status < 500 ? 'Please check what you entered' : 'Something went wrong';
  return layoutView({
    title: status === 404 ? 'Not found' : status < 500 ? 'Please check' : 'Error',
    body: html`<div class="site">
      <main id="main">
        <h1>${heading}</h1>
        <p>${message}</p>
        <p>${back ? html`<a href="${back}">Go back</a> · ` : html``}<a href="/">Home</a></p>
      </main>
    </div>`,
  });
}
