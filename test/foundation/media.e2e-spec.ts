import sharp from 'sharp';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('media uploads', () => {
  let hub: TestHerald;
  let editor: string;
  let profileId: string;

  beforeAll(async () => {
    hub = await startTestHerald('media', { HERALD_ROLE: 'web', MEDIA_MAX_BYTES: '200000' });
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    profileId = (
      await hub.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'press', domain: 'press.example.org', displayName: 'Press' })
        .expect(201)
    ).body.id;
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  const png = () =>
    sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();

  it('stores an image with its alt text and serves it publicly', async () => {
    const upload = await hub.http
      .post(`/api/profiles/${profileId}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .field('altText', 'A blue rectangle')
      .attach('file', await png(), { filename: 'blue.png', contentType: 'image/png' })
      .expect(201);
    expect(upload.body).toMatchObject({ mimeType: 'image/png', width: 64, height: 32, altText: 'A blue rectangle' });
    const served = await hub.http.get(`/media/${upload.body.id}`).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'With a picture', attachments: [{ mediaId: upload.body.id, altText: 'A blue rectangle' }] })
      .expect(201);
    expect(post.body.attachments).toEqual([{ mediaId: upload.body.id, altText: 'A blue rectangle' }]);
  });

  it('refuses bytes that are not an image, whatever their name says', async () => {
    const response = await hub.http
      .post(`/api/profiles/${profileId}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', Buffer.from('<svg onload="alert(1)"></svg>'), { filename: 'x.png', contentType: 'image/png' })
      .expect(400);
    expect(response.body.fields).toHaveProperty('file');
  });

  it('refuses files over the configured size', async () => {
    const big = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#000' } })
      .raw()
      .toBuffer();
    const huge = await sharp(big, { raw: { width: 800, height: 800, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    await hub.http
      .post(`/api/profiles/${profileId}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', huge, 'big.png')
      .expect(400);
  });

  it("refuses attaching another profile's media", async () => {
    const admin = await hub.login(['admin']);
    const other = (
      await hub.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'other', domain: 'other.example.org', displayName: 'Other' })
        .expect(201)
    ).body.id;
    const upload = await hub.http
      .post(`/api/profiles/${other}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', await png(), 'p.png')
      .expect(201);
    const response = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'x', attachments: [{ mediaId: upload.body.id, altText: 'y' }] })
      .expect(400);
    expect(response.body.fields).toHaveProperty('attachments');
  });
});
