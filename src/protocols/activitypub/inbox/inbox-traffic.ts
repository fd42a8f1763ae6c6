import { Logger } from '@nestjs/common';
import type { InboxFastLane } from './inbox-fast-lane.js';

const logger = new Logger('ActivityPubInbox');

const SUMMARY_EVERY_MS = 60_000;

/** Inbox answers counted, and logged once a minute when there were any. */
export class InboxTraffic {
  private accepted = 0;
  private refused = 0;
  private failed = 0;
  private laneAtLastSummary = 0;

  constructor(
    private readonly fastLane?: InboxFastLane,
    everyMs = SUMMARY_EVERY_MS,
  ) {
    setInterval(() => this.summarize(), everyMs).unref();
  }

  answered(status: number): void {
    if (status < 300) this.accepted += 1;
    else if (status < 500) this.refused += 1;
    else this.failed += 1;
  }

  summarize(): void {
    if (this.accepted + this.refused + this.failed === 0) return;
    const lane = this.fastLane?.counts.accepted ?? 0;
    logger.log(
      { accepted: this.accepted, fastLane: lane - this.laneAtLastSummary, refused: this.refused, failed: this.failed },
      `Inbox, last minute: ${this.accepted} accepted (${lane - this.laneAtLastSummary} in the fast lane), ${this.refused} refused, ${this.failed} failed`,
    );
    this.laneAtLastSummary = lane;
    this.accepted = this.refused = this.failed = 0;
  }
}
