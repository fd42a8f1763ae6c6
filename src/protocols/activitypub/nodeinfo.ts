import type { Federation } from '@fedify/fedify';
import type { InboundTargets } from './inbound-targets.js';

/** NodeInfo 2.1: Herald, ActivityPub, no open registrations. */
export function registerNodeInfo(federation: Federation<void>, targets: InboundTargets, version: string): void {
  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const profiles = (await targets.listProfiles()).length;
    return {
      software: { name: 'herald', version },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: profiles, activeMonth: profiles, activeHalfyear: profiles }, localPosts: 0, localComments: 0 },
    };
  });
}
