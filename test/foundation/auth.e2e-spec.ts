import { startTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('staff accounts, sessions and roles', () => {
  let hub: TestHerald;
  let admin: string;

  beforeAll(async () => {
    hub = await startTestHerald('auth', { HERALD_ROLE: 'web', LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT: '5' });
    admin = await hub.login(['admin'], 'admin@example.test');
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('refuses a wrong password without saying which part was wrong', async () => {
    const wrongPassword = await hub.http.post('/api/auth/login').send({ email: 'admin@example.test', password: 'nope' }).expect(401);
    const unknownUser = await hub.http.post('/api/auth/login').send({ email: 'ghost@example.test', password: 'nope' }).expect(401);
    expect(wrongPassword.body.message).toBe(unknownUser.body.message);
  });

  it('limits failed logins per address and e-mail', async () => {
    const attempts = [];
    for (let i = 0; i < 7; i++)
      attempts.push((await hub.http.post('/api/auth/login').send({ email: 'target@example.test', password: `guess-${i}` })).status);
    expect(attempts.slice(0, 5).every((status) => status === 401)).toBe(true);
    expect(attempts.slice(5)).toEqual([429, 429]);
    // Another account from the same address is not locked out.
    await hub.http.post('/api/auth/login').send({ email: 'admin@example.test', password: TEST_PASSWORD }).expect(200);
  });

  it('has no public sign-up: creating staff needs an admin', async () => {
    const body = { email: 'new@example.test', displayName: 'New', password: 'long enough password', roles: ['editor'] };
    await hub.http.post('/api/staff').send(body).expect(401);
    const editor = await hub.login(['editor']);
    await hub.http.post('/api/staff').set('Authorization', `Bearer ${editor}`).send(body).expect(403);
    const created = await hub.http.post('/api/staff').set('Authorization', `Bearer ${admin}`).send(body).expect(201);
    expect(created.body.passwordHash).toBeUndefined();
    await hub.http.post('/api/staff').set('Authorization', `Bearer ${admin}`).send(body).expect(409);
  });

  it('validates staff input and names the field', async () => {
    const response = await hub.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'not-an-email', displayName: 'X', password: 'short', roles: ['overlord'] })
      .expect(400);
    expect(Object.keys(response.body.fields).sort()).toEqual(['email', 'password', 'roles']);
  });

  it('ends every session of a disabled account', async () => {
    const token = await hub.login(['moderator'], 'leaver@example.test');
    const me = await hub.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    await hub.http.patch(`/api/staff/${me.body.id}`).set('Authorization', `Bearer ${admin}`).send({ disabled: true }).expect(200);
    await hub.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    await hub.http.post('/api/auth/login').send({ email: 'leaver@example.test', password: TEST_PASSWORD }).expect(401);
  });

  it('never lets the last admin lose the role', async () => {
    const me = await hub.http.get('/api/auth/me').set('Authorization', `Bearer ${admin}`).expect(200);
    await hub.http
      .patch(`/api/staff/${me.body.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ roles: ['editor'] })
      .expect(409);
    await hub.http.get('/api/auth/me').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('accepts the session cookie and forgets it at logout', async () => {
    const login = await hub.http.post('/api/auth/login').send({ email: 'admin@example.test', password: TEST_PASSWORD }).expect(200);
    const cookie = login.headers['set-cookie'][0].split(';')[0];
    expect(login.headers['set-cookie'][0]).toMatch(/HttpOnly/);
    expect(login.headers['set-cookie'][0]).toMatch(/SameSite=Strict/);
    await hub.http.get('/api/auth/me').set('Cookie', cookie).expect(200);
    // A cookie alone does not authorise a change: the console's header must come with it (CSRF).
    await hub.http.post('/api/auth/logout').set('Cookie', cookie).expect(403);
    await hub.http.post('/api/auth/logout').set('Cookie', cookie).set('x-herald-console', '1').expect(204);
    await hub.http.get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it('serves health and the OpenAPI document without a session', async () => {
    await hub.http.get('/health/live').expect(200);
    const ready = await hub.http.get('/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ postgres: { ok: true }, redis: { ok: true } });
    const docs = await hub.http.get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/profiles/{profileId}/posts', '/api/auth/login']));
  });
});
