import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { routesFromRouter, type AppRoute } from '../support/app-routes.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';

/** Tables an accepted junk body would grow. Logins and sessions are left out: the fuzz never logs in. */
const TABLES = [
  'profile',
  'post',
  'publication',
  'staff_user',
  'media',
  'interaction',
  'interaction_note',
  'block',
  'keyword_filter',
  'outbox',
];
/** About 200 bodies: 20–25 s alone on this machine (300 took 76 s beside two other suites). */
const RUNS_PER_ROUTE = 10;

/** Field names the admin DTOs use, so junk lands on real fields with wrong types as well as on unknown ones. */
const FIELD_NAMES = [
  'handle',
  'domain',
  'displayName',
  'email',
  'password',
  'roles',
  'disabled',
  'kind',
  'text',
  'title',
  'summary',
  'status',
  'language',
  'attachments',
  'scheduledAt',
  'state',
  'ids',
  'note',
  'reason',
  'pattern',
  'protocols',
  'fields',
  'requiresApproval',
  'unknownField',
  '__proto__',
  'constructor',
];

const junk = fc.oneof(
  // Nested junk of every JSON type, the top level included (a bare number, string or array).
  fc.jsonValue({ maxDepth: 4 }),
  // Real field names with values of the wrong type, shape or size.
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 300 })), { maxKeys: 8 }),
  // Huge strings in real fields.
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.string({ minLength: 20_000, maxLength: 40_000 }), { minKeys: 1, maxKeys: 2 }),
);

describe('admin API bodies under property-based fuzzing', () => {
  let hub: TestHerald;
  let admin: string;
  let profileId: string;

  const counts = async () => {
    const database = hub.herald.app.get(DataSource);
    const entries = await Promise.all(
      TABLES.map(async (table) => [table, Number((await database.query(`SELECT count(*) AS n FROM ${table}`))[0].n)] as const),
    );
    return Object.fromEntries(entries);
  };

  beforeAll(async () => {
    hub = await startTestHerald('api-fuzz', { HERALD_ROLE: 'web' });
    admin = await hub.login(['admin']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'eu', domain: 'social.example.eu', displayName: 'European Commission' })
      .expect(201);
    profileId = profile.body.id;
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  /** The real profile, so bodies reach its services; other ids exist nowhere. */
  const concrete = (route: AppRoute) =>
    route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'profileId' ? profileId : /id$/i.test(name) ? randomUUID() : 'missing'));

  it('answers every junk body with a clear 4xx and changes nothing', async () => {
    const routes = routesFromRouter(hub).filter(
      (route) =>
        ['POST', 'PATCH', 'PUT'].includes(route.method) &&
        route.path.startsWith('/api/') &&
        // Logging in and out are about sessions, not bodies; each would change the caller's state.
        !/^\/api\/auth\/(login|logout)$/.test(route.path),
    );
    expect(routes.length).toBeGreaterThan(10);
    const before = await counts();
    const failures: string[] = [];
    let tried = 0;
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(junk, async (body) => {
            tried++;
            const response = await hub.http[route.method.toLowerCase() as 'post'](concrete(route))
              .timeout(15_000)
              .set('Authorization', `Bearer ${admin}`)
              .set('Content-Type', 'application/json')
              .send(JSON.stringify(body));
            const clear = typeof response.body?.message === 'string' && response.body.message.length > 0;
            if (response.status < 400 || response.status >= 500 || !clear) {
              failures.push(
                `${route.method} ${route.path} ${JSON.stringify(body).slice(0, 200)} → ${response.status} ${response.text.slice(0, 200)}`,
              );
              return false;
            }
            return true;
          }),
          { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    process.stdout.write(`fuzzed bodies tried: ${tried} over ${routes.length} POST/PATCH/PUT routes\n`);
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
  }, 90_000);
});
