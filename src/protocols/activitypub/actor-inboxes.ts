import type { Actor } from '@fedify/vocab';
import { Logger } from '@nestjs/common';
import type { OutgoingHttp } from '../../net/outgoing-http.js';
import { UnsafeUrlError } from '../../net/unsafe-url.error.js';

const logger = new Logger('ActivityPubInboxes');

/**
 * Whether Herald may keep and later deliver to the inboxes an actor declares:
 * both its inbox and its shared inbox must pass the address check. A refusal
 * is logged once, with the host and the reason; a DNS failure that may pass
 * (EAI_AGAIN) is thrown, so Fedify's queue tries the activity again later.
 */
export async function hasDeliverableInboxes(http: OutgoingHttp, actor: Actor, purpose: string): Promise<boolean> {
  for (const url of [actor.inboxId, actor.endpoints?.sharedInbox]) {
    if (!url) continue;
    try {
      await http.assertPublicUrl(url);
    } catch (error) {
      if (!(error instanceof UnsafeUrlError)) throw error;
      logger.warn({ actor: actor.id?.href, host: url.host, reason: error.reason }, `${purpose} refused: inbox ${url.host} ${error.reason}`);
      return false;
    }
  }
  return true;
}
