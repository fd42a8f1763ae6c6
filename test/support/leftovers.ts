/** Something a test starts and must stop: a hub, a fediverse peer, a Bluesky network, a browser. */
export interface Closable {
  close(): Promise<void>;
}

const starting = new Set<Promise<unknown>>();
const open = new Set<Closable>();

/**
 * Remembers what `start` makes until it is closed, and makes its close() idempotent.
 * A hook that times out leaves its start running: when that start finishes, no
 * variable holds the result, the file's afterAll has already run, and its sockets
 * would keep jest from ever exiting. closeLeftovers() closes such things.
 */
export function track<T extends Closable>(start: Promise<T>): Promise<T> {
  const started = start.then((resource) => {
    open.add(resource);
    const close = resource.close.bind(resource);
    let closing: Promise<void> | undefined;
    resource.close = () => {
      open.delete(resource);
      closing ??= close();
      return closing;
    };
    return resource;
  });
  starting.add(started);
  const settled = () => starting.delete(started);
  started.then(settled, settled);
  return started;
}

/** Waits for starts still under way, then closes, newest first, whatever the test file left open. */
export async function closeLeftovers(): Promise<void> {
  await Promise.allSettled([...starting]);
  const leftovers = [...open].reverse();
  if (leftovers.length > 0) console.warn(`Closing ${leftovers.length} thing(s) the test file started but did not close.`);
  for (const resource of leftovers) {
    await resource.close().catch((error: unknown) => console.error('Closing a leftover failed:', error));
  }
}
