/** What the console's pages share: calls to the admin API, page data, server-rendered fragments, status messages. */

const loginUrl = () => `/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  // The header marks the request as the console's own (CSRF protection, see AuthGuard).
  const headers: Record<string, string> = { 'x-herald-console': '1', accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    location.href = loginUrl();
    throw new Error('Your session has ended; log in again.');
  }
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(messageOf(data) ?? `The server answered ${response.status}`);
  return data as T;
}

const messageOf = (data: unknown): string | undefined =>
  typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string' ? data.message : undefined;

export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const remove = <T>(path: string) => request<T>('DELETE', path);

/** An element with attributes and children; strings become text nodes, never markup. */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Page data the server embedded as JSON. */
export function pageData<T>(): T {
  return JSON.parse(document.getElementById('console-data')?.textContent ?? '{}') as T;
}

/** Replaces an element with a fresh server-rendered (and escaped) fragment of the same thing. */
export async function replaceWithFragment(element: Element, url: string): Promise<Element | null> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  // A fragment request is only redirected when the session has ended (to the login page).
  if (response.redirected) {
    location.href = loginUrl();
    return null;
  }
  if (!response.ok) return null;
  const template = document.createElement('template');
  template.innerHTML = await response.text();
  const fresh = template.content.firstElementChild;
  if (fresh) element.replaceWith(fresh);
  return fresh;
}

export function announce(message: string, isError = false): void {
  const status = document.getElementById('console-status');
  if (!status) return;
  status.textContent = message;
  status.classList.toggle('error', isError);
}

/**
 * An EventSource on one of the API's streams, telling staff in `#live-state` whether it is live.
 * The browser reconnects by itself (sending Last-Event-ID); it gives up only when refused, e.g. after logout.
 */
export function liveStream(url: string, liveText: string): EventSource {
  const live = document.getElementById('live-state');
  const stream = new EventSource(url, { withCredentials: true });
  const show = (text: string, state: string) => {
    if (!live) return;
    live.textContent = text;
    live.dataset.live = state;
  };
  stream.addEventListener('open', () => show(liveText, 'open'));
  stream.addEventListener('error', () =>
    stream.readyState === EventSource.CLOSED
      ? show('Live updates stopped; reload the page.', 'closed')
      : show('Live updates paused; reconnecting…', 'connecting'),
  );
  return stream;
}

/** The data of a named event on one of the API's streams. */
export const eventData = <T>(event: Event): T => JSON.parse((event as MessageEvent<string>).data) as T;
