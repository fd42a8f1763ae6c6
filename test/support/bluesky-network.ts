import { randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { AtpAgent } from '@atproto/api';
import { RepoSubscription, TestNetwork } from '@atproto/dev-env';
import { boundedClose } from './bounded-close.js';
import { track } from './leftovers.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_REDIS_URL } from './test-redis.js';

/** A Herald as the network sees it: where its embedded PDS listens, and the profile domains it answers handles for. */
export interface IndexedHub {
  url: string;
  domains: string[];
}

export interface BlueskyUser {
  did: string;
  handle: string;
  agent: AtpAgent;
}

/**
 * The real AT Protocol network of `@atproto/dev-env` (PLC directory, a PDS,
 * the Bluesky AppView) on this machine's PostgreSQL and Redis, in a database
 * of its own. `heraldEnv()` points a Herald at it; `index(hub)` makes the
 * AppView crawl the hub's embedded PDS as it crawls its own.
 */
export class BlueskyNetwork {
  private readonly subscriptions: RepoSubscription[] = [];
  private readonly hubs: IndexedHub[] = [];

  private constructor(
    readonly network: TestNetwork,
    private readonly database: TestDatabase,
  ) {
    // The network verifies indexed hubs' handles at the hub: on the real network DNS sends
    // `https://<profile domain>/.well-known/atproto-did` there.
    const { bsky, pds } = network;
    for (const resolver of [bsky.ctx.idResolver, bsky.dataplane.idResolver, pds.ctx.idResolver]) {
      const fallback = resolver.handle.resolve.bind(resolver.handle);
      resolver.handle.resolve = async (handle: string) => {
        const owner = this.hubs.find((candidate) => candidate.domains.includes(handle));
        return owner ? resolveAt(owner.url, handle) : fallback(handle);
      };
    }
  }

  /** A network left open by its test file is closed at the file's end. */
  static start(label: string): Promise<BlueskyNetwork> {
    return track(BlueskyNetwork.create(label));
  }

  private static async create(label: string): Promise<BlueskyNetwork> {
    const database = await createTestDatabase(`bsky${label}`);
    // dev-env reads Redis from the environment; it takes host:port.
    process.env.REDIS_HOST ??= new URL(TEST_REDIS_URL).host;
    try {
      const network = await TestNetwork.create({ dbPostgresUrl: database.url, dbPostgresSchema: `net_${letters(8)}` });
      return new BlueskyNetwork(network, database);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** What a Herald needs to publish into this network: its PLC directory and its AppView. */
  heraldEnv(): Record<string, string> {
    return {
      ATPROTO_PLC_URL: this.network.plc.url,
      ATPROTO_APPVIEW_URL: this.network.bsky.url,
      ATPROTO_APPVIEW_DID: this.network.bsky.ctx.cfg.serverDid,
    };
  }

  get appView(): AtpAgent {
    return new AtpAgent({ service: this.network.bsky.url });
  }

  /** The AppView subscribes to the hub's firehose (its PDS on the hub's own port) and verifies its handles at the hub. */
  index(hub: IndexedHub): void {
    this.hubs.push(hub);
    const { bsky } = this.network;
    const subscription = new RepoSubscription({
      service: `ws://${new URL(hub.url).host}`,
      db: bsky.db,
      idResolver: bsky.dataplane.idResolver,
    });
    void subscription.start();
    this.subscriptions.push(subscription);
  }

  /** A user of the network's own PDS, as a person on Bluesky would be. */
  async createUser(name: string): Promise<BlueskyUser> {
    const agent = new AtpAgent({ service: this.network.pds.url });
    const handle = `${name}.test`;
    const created = await agent.createAccount({ handle, email: `${name}@bsky.test`, password: `${name}-password` });
    return { did: created.data.did, handle, agent };
  }

  /** Lets the AppView index everything written so far, on the network's PDS and on every indexed hub. */
  async settle(): Promise<void> {
    await this.network.processAll();
    for (const subscription of this.subscriptions) await subscription.processAll();
  }

  async close(): Promise<void> {
    try {
      await boundedClose(
        "the AppView's subscriptions to hubs",
        15_000,
        Promise.all(this.subscriptions.map((subscription) => subscription.destroy())),
      );
      await boundedClose('the dev-env network', 30_000, this.network.close());
    } finally {
      await this.database.drop();
    }
  }
}

/** GET /.well-known/atproto-did at the hub with the handle as Host (fetch may not set Host). */
function resolveAt(hubUrl: string, handle: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = httpGet(new URL('/.well-known/atproto-did', hubUrl), { headers: { host: handle }, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 && body.trim().startsWith('did:') ? body.trim() : undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

function letters(count: number): string {
  return Array.from(randomBytes(count), (byte) => String.fromCharCode(97 + (byte % 26))).join('');
}
