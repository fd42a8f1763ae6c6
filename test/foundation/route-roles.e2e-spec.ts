import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../src/access/role.js';
import { type Access, routesFromRouter } from '../support/app-routes.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = [...ROLES, 'anonymous'];

/** Path parameters get ids that exist nowhere: the guard decides before any lookup, so allowed roles get 4xx or 2xx. */
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => (/id$/i.test(name) ? randomUUID() : 'missing'));

const allows = (access: Access, caller: Caller) =>
  access.public || (caller !== 'anonymous' && (access.roles.length === 0 || caller === 'admin' || access.roles.includes(caller)));

describe('every admin and API route answers each role as its @Roles says', () => {
  let hub: TestHerald;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    hub = await startTestHerald('route-roles', { HERALD_ROLE: 'web' });
    for (const role of ROLES) tokens.set(role, await hub.login([role]));
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('checks each route × role from the router', async () => {
    const routes = routesFromRouter(hub);
    // Logging out ends the caller's session: those routes go last.
    routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    expect(routes.length).toBeGreaterThan(30);
    // Only the OpenAPI pages come from elsewhere than a controller; they are public by construction.
    expect(routes.filter((route) => !route.declared).every((route) => route.path.startsWith('/api/docs'))).toBe(true);
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of routes) {
      await Promise.all(
        CALLERS.map(async (caller) => {
          const path = concrete(route.path);
          let call = hub.http[route.method.toLowerCase() as 'get'](path).timeout(15_000).redirects(0);
          if (caller !== 'anonymous') call = call.set('Authorization', `Bearer ${tokens.get(caller)}`);
          if (!['GET', 'HEAD', 'DELETE'].includes(route.method)) call = call.send({});
          const response = await call.catch((error: { response?: { status: number; headers: Record<string, string> } }) => {
            if (error.response) return error.response;
            throw error;
          });
          cases++;
          const console = route.path.startsWith('/admin');
          const allowed = allows(route.access, caller);
          const expected = allowed ? 'not 401/403, under 500' : caller === 'anonymous' ? (console ? '303 to /admin/login' : '401') : '403';
          const ok = allowed
            ? ![401, 403].includes(response.status) && response.status < 500
            : caller === 'anonymous'
              ? console
                ? response.status === 303 && /^\/admin\/login\?next=/.test(response.headers.location ?? '')
                : response.status === 401
              : response.status === 403;
          if (!ok) mismatches.push(`${route.method} ${route.path} as ${caller}: ${response.status}, expected ${expected}`);
        }),
      );
    }
    process.stdout.write(`route×role cases: ${cases} (${routes.length} routes × ${CALLERS.length} callers)\n`);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
