import type { Federation } from '@fedify/fedify';
import type { InboundTargets } from './inbound-targets.js';

/** NodeInfo 2.1: Herald, ActivityPub, no open registrations. */
export function registerNodeInfo(federation: Federation<void>, targets: InboundTargets, version: string): void {
  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const [profiles, localPosts] = await Promise.all([targets.listProfiles().then((list) => list.length), targets.countPosts()]);
    return {
      software: { name: 'herald', version },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: profiles, activeMonth: profiles, activeHalfyear: profiles }, localPosts, localComments: 0 },
    };
  });
}
