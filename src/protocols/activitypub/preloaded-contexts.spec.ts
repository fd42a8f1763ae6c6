import { preloadedContexts } from '@fedify/vocab-runtime';
import { Note } from '@fedify/vocab';
import { preloadedContextLoader } from './preloaded-contexts.js';

describe('preloadedContextLoader', () => {
  it('serves the contexts Fedify ships', async () => {
    const loaded = await preloadedContextLoader('https://www.w3.org/ns/activitystreams');
    expect(loaded.document).toBe(preloadedContexts['https://www.w3.org/ns/activitystreams']);
  });

  it('reads any other context as empty, without fetching, so a document still parses by its known terms', async () => {
    // An unroutable address: were it fetched, this would fail or hang, not resolve at once.
    expect((await preloadedContextLoader('http://192.0.2.1/ctx.jsonld')).document).toEqual({ '@context': {} });
    const note = await Note.fromJsonLd(
      {
        '@context': ['https://www.w3.org/ns/activitystreams', 'http://192.0.2.1/schemas/litepub-0.1.jsonld'],
        id: 'https://pleroma.example/objects/1',
        type: 'Note',
        content: 'hello',
      },
      { contextLoader: preloadedContextLoader, documentLoader: preloadedContextLoader },
    );
    expect(note.content?.toString()).toBe('hello');
  });

  it('lets jsonld keep a context resolved across documents instead of loading it for every expansion', async () => {
    let loads = 0;
    const counting = (url: string) => {
      loads += 1;
      return preloadedContextLoader(url);
    };
    const noteOf = (n: number) => ({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `https://m.example/notes/${n}`,
      type: 'Note',
      content: `note ${n}`,
    });
    // Each parse expands the document several times (once per class up the hierarchy); untagged, each expansion loads the context.
    for (let n = 0; n < 5; n += 1) await Note.fromJsonLd(noteOf(n), { contextLoader: counting, documentLoader: counting });
    expect(loads).toBeLessThanOrEqual(1);
  });
});
