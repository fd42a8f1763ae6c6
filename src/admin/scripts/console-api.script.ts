/**
 * Browser code shared by the console's pages. It runs in the browser: it is
 * served as its own source text (see console-scripts.ts), so it must not use
 * anything imported.
 */
export function consoleApi() {
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
      location.href = `/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      throw new Error('Your session has ended; log in again.');
    }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(data?.message ?? `The server answered ${response.status}`);
    return data as T;
  }

  /** Keeps only simple formatting and http(s) links from HTML rendered elsewhere; DOMParser runs no scripts. */
  function sanitize(markup: string): DocumentFragment {
    const allowed = new Set(['P', 'BR', 'A', 'SPAN', 'STRONG', 'EM', 'B', 'I', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'CODE', 'PRE']);
    const source = new DOMParser().parseFromString(`<body>${markup}</body>`, 'text/html').body;
    const copy = (node: Node, into: Node): void => {
      for (const child of Array.from(node.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) into.appendChild(document.createTextNode(child.textContent ?? ''));
        else if (child instanceof Element && allowed.has(child.tagName)) {
          const clean = document.createElement(child.tagName.toLowerCase());
          const href = child.getAttribute('href');
          if (child.tagName === 'A' && href && /^https?:\/\//i.test(href)) {
            clean.setAttribute('href', href);
            clean.setAttribute('rel', 'nofollow noopener');
          }
          copy(child, clean);
          into.appendChild(clean);
        } else if (child instanceof Element) copy(child, into);
      }
    };
    const fragment = document.createDocumentFragment();
    copy(source, fragment);
    return fragment;
  }

  function el(tag: string, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.append(...children);
    return element;
  }

  /** Page data the server embedded as JSON. */
  function pageData<T>(): T {
    return JSON.parse(document.getElementById('console-data')?.textContent ?? '{}') as T;
  }

  /** Replaces an element with a fresh server-rendered fragment of the same thing. */
  async function replaceWithFragment(element: Element, url: string): Promise<Element | null> {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    // A fragment request is only redirected when the session has ended (to the login page).
    if (response.redirected) {
      location.href = `/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return null;
    }
    if (!response.ok) return null;
    const template = document.createElement('template');
    template.innerHTML = await response.text();
    const fresh = template.content.firstElementChild;
    if (fresh) element.replaceWith(fresh);
    return fresh;
  }

  function announce(message: string, isError = false): void {
    const status = document.getElementById('console-status');
    if (!status) return;
    status.textContent = message;
    status.classList.toggle('error', isError);
  }

  const logout = document.getElementById('logout');
  logout?.addEventListener('click', async () => {
    await request('POST', '/api/auth/logout').catch(() => undefined);
    location.href = '/admin/login';
  });

  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    remove: <T>(path: string) => request<T>('DELETE', path),
    sanitize,
    el,
    pageData,
    replaceWithFragment,
    announce,
  };
}

export type ConsoleApi = ReturnType<typeof consoleApi>;
