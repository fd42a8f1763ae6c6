import { type DocumentLoader, type DocumentLoaderFactory, preloadedContexts } from '@fedify/vocab-runtime';

/** What a context Herald does not know reads as: it defines no terms, so they are dropped. */
const UNKNOWN_CONTEXT = { '@context': {} };

/**
 * The JSON-LD context loader: the contexts Fedify ships (ActivityStreams, security, Mastodon's,
 * GoToSocial's, Lemmy's, …) and nothing from the network, ever. A body naming a context URL
 * could otherwise make Herald fetch it while parsing, before the signature is checked (a free
 * request to any address, from an unsigned POST), and let a sender redefine terms. An unknown
 * context is read as empty rather than refused: Pleroma and Akkoma name a per-server LitePub
 * context beside ActivityStreams, and their activities still parse by ActivityStreams' terms.
 */
export const preloadedContextLoaderFactory: DocumentLoaderFactory = () => preloadedContextLoader;

export const preloadedContextLoader: DocumentLoader = (url) => {
  const href = URL.canParse(url) ? new URL(url).href : url;
  const document = Object.hasOwn(preloadedContexts, href) ? preloadedContexts[href] : UNKNOWN_CONTEXT;
  // `static`: these documents never change, so jsonld keeps each one resolved across expansions. Untagged,
  // every expansion (several per activity) loads and walks the ActivityStreams context and serialises it
  // as a cache key: a fifth of the time Fedify takes to parse an activity.
  return Promise.resolve({ contextUrl: null, documentUrl: href, document, tag: 'static' });
};
