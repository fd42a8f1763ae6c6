import type { webcrypto } from 'node:crypto';
import { kvCache, signRequest, type KvStore } from '@fedify/fedify';
import {
  createActivityPubRequest,
  FetchError,
  getRemoteDocument,
  preloadedContexts,
  type DocumentLoader,
  type DocumentLoaderFactoryOptions,
  type RemoteDocument,
} from '@fedify/vocab-runtime';
import type { OutgoingHttp } from '../../net/outgoing-http.js';

const MAX_REDIRECTS = 5;

type Identity = { keyId: URL; privateKey: webcrypto.CryptoKey };

/**
 * Fedify's document loading (actors, keys, objects, JSON-LD contexts) over
 * OutgoingHttp, so every fetch it makes has the time limits and the
 * connect-time address check. Redirects are followed here, one hop at a time,
 * as Fedify's own loader does: the document is then named by the URL it came
 * from, which Fedify compares with the ids inside it.
 */
export function documentLoader(http: OutgoingHttp, options?: DocumentLoaderFactoryOptions, identity?: Identity): DocumentLoader {
  const load = async (url: string, loadOptions?: { signal?: AbortSignal }, redirects = 0): Promise<RemoteDocument> => {
    loadOptions?.signal?.throwIfAborted();
    const current = new URL(url).href;
    if (current in preloadedContexts) return { contextUrl: null, document: preloadedContexts[current], documentUrl: current };
    let request = createActivityPubRequest(current, { userAgent: options?.userAgent });
    // Signed GETs for servers that answer only known servers (authorized fetch); a signature covers one URL, so each hop signs anew.
    if (identity) request = await signRequest(request, identity.privateKey, identity.keyId, { spec: 'draft-cavage-http-signatures-12' });
    const response = await http.fetch(request, { redirect: 'manual', signal: loadOptions?.signal });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (redirects >= MAX_REDIRECTS) throw new FetchError(current, `Too many redirects (${redirects + 1})`);
      return load(new URL(location, current).href, loadOptions, redirects + 1);
    }
    return getRemoteDocument(current, response, load);
  };
  return load;
}

/** The loader factories createFederation takes; documents and contexts are cached in Fedify's store, as its own loaders are. */
export function documentLoaderFactories(http: OutgoingHttp, kv: KvStore) {
  return {
    documentLoaderFactory: madeOnce((options) => kvCache({ loader: documentLoader(http, options), kv, kind: 'object' })),
    contextLoaderFactory: madeOnce((options) => kvCache({ loader: documentLoader(http, options), kv, kind: 'context' })),
    // Fedify caches no signed fetch either: what an actor may see is not for everyone.
    authenticatedDocumentLoaderFactory: (identity: Identity, options?: DocumentLoaderFactoryOptions) =>
      documentLoader(http, options, identity),
  };
}

/**
 * A factory that makes one loader per set of options and hands it out again. Fedify asks for a loader with
 * every context it creates, once per queued activity, and `kvCache` compiles a URL pattern and parses a
 * duration each time it is called: a tenth of the inbox worker's CPU, for the same loader every time.
 */
function madeOnce(make: (options?: DocumentLoaderFactoryOptions) => DocumentLoader) {
  const made = new Map<string, DocumentLoader>();
  return (options?: DocumentLoaderFactoryOptions): DocumentLoader => {
    const key = JSON.stringify([options?.allowPrivateAddress ?? null, options?.userAgent ?? null]);
    let loader = made.get(key);
    if (!loader) made.set(key, (loader = make(options)));
    return loader;
  };
}
