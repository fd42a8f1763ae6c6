import { closeLeftovers } from './leftovers.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from './hook-timeouts.js';

// A setup file's afterAll belongs to the root block, so it runs after the test file's own hooks.
afterAll(closeLeftovers, START_TIMEOUT_MS + CLOSE_TIMEOUT_MS);
