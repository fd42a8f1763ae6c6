import { html } from '../../common/html.js';
import { consoleLayoutView } from './console-layout.view.js';

export function loginView(passwordChanged = false): string {
  return consoleLayoutView({
    title: 'Log in',
    script: 'login',
    body: html`${passwordChanged ? html`<p class="notice">Your password was changed and every session ended: log in with the new one.</p>` : html``}
      <form id="login" class="login" method="post" action="/api/auth/login">
      <div class="field">
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required>
      </div>
      <div class="field">
        <label for="password">Password</label
        ><input id="password" name="password" type="password" autocomplete="current-password" required>
      </div>
      <div class="actions"><button type="submit">Log in</button></div>
    </form>`,
  });
}
