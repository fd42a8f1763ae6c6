// Jest reporter, a last resort for CI: tests close what they start (test/support/leftovers.ts
// closes even what a timed-out hook started late), but should anything still hold the process
// a minute after the run, say what and exit with the run's result instead of hanging until
// CI's time limit. The timer is unref'd: a clean run exits at once, as usual.
const GRACE_MS = 60_000;

export default class JestExitWatchdog {
  constructor(globalConfig) {
    this.watching = Boolean(globalConfig.watch || globalConfig.watchAll);
  }

  onRunComplete(_testContexts, results) {
    if (this.watching) return;
    const exitCode = results.success ? 0 : 1;
    setTimeout(() => {
      console.error(
        `Jest is still running ${GRACE_MS / 1000} s after the last test: something a test started was never closed ` +
          `(open: ${process.getActiveResourcesInfo().join(', ')}). Find it with --detectOpenHandles. Exiting with code ${exitCode}.`,
      );
      process.exit(exitCode);
    }, GRACE_MS).unref();
  }
}
