import { composePage } from './compose.script.js';
import { consoleApi } from './console-api.script.js';
import { inboxPage } from './inbox.script.js';
import { loginPage } from './login.script.js';
import { postsPage } from './posts.script.js';
import { settingsPage } from './settings.script.js';

/**
 * The console's browser scripts. Each is a type-checked function compiled by the
 * project's own build and served as its source text, so there is no separate
 * front-end toolchain.
 */
const page = (main: (api: ReturnType<typeof consoleApi>) => void) => `'use strict';(${main.toString()})((${consoleApi.toString()})());\n`;

export const CONSOLE_SCRIPTS: Record<string, string> = {
  login: `'use strict';(${loginPage.toString()})();\n`,
  compose: page(composePage),
  posts: page(postsPage),
  inbox: page(inboxPage),
  settings: page(settingsPage),
};
