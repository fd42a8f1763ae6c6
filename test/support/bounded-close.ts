/**
 * Waits for one step of closing a server at most `limitMs`, then goes on and says which step hung.
 * A close that never finishes (a firehose runner waiting on an indexing task, a pool waiting on a
 * query) must not fail a file whose tests passed; the database drop that follows ends its connections.
 */
export async function boundedClose(what: string, limitMs: number, closing: Promise<unknown>): Promise<void> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  try {
    const outcome = await Promise.race([closing.then(() => 'closed' as const), late]);
    if (outcome === 'late') console.warn(`Closing ${what} took over ${limitMs / 1000} s; going on without it.`);
  } catch (error) {
    console.warn(`Closing ${what} failed after ${((Date.now() - started) / 1000).toFixed(1)} s:`, error);
  } finally {
    clearTimeout(timer);
  }
}
