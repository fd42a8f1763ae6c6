/**
 * Explicit timeouts for hooks that start or stop servers; jest's default (5 s) is
 * too short on a busy 2-core machine, where a hub took over 5 s to start and a
 * dev-env network takes 5–8 s when idle.
 */
export const START_TIMEOUT_MS = 120_000;
// A dev-env network's close is bounded at 45 s (bluesky-network.ts), and a hub's close follows it.
export const CLOSE_TIMEOUT_MS = 90_000;
