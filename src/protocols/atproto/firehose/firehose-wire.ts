// The libraries that read subscribeRepos' wire format, in one module so that only a worker
// reading a firehose loads them (FirehoseSubscription imports this file when it starts).
import type { parseCommitUnauthenticated } from '@atproto/sync';

export { parseCommitUnauthenticated } from '@atproto/sync';
export { websocket } from '@atproto/ws-client';
export { ensureChunkIsMessage, XRPCError } from '@atproto/xrpc-server';

export type CommitMessage = Parameters<typeof parseCommitUnauthenticated>[0];
