import { createHash, randomBytes } from 'node:crypto';
import { AtpAgent } from '@atproto/api';
import { Injectable } from '@nestjs/common';
import type { Profile } from '../../../profiles/profile.entity.js';
import { NetworkBackoff } from '../../../publishing/network-backoff.js';
import { PdsConnection } from '../pds/pds-connection.js';
import type { AtprotoAccount } from './atproto-account.entity.js';
import { AtprotoAccountsRepository } from './atproto-accounts.repository.js';
import { classifyXrpcError } from '../xrpc-errors.js';

/**
 * Profiles' accounts on the invite-only PDS: Herald creates them with admin
 * credentials and logs in as them. Sessions are kept per profile in memory.
 */
@Injectable()
export class PdsAccounts {
  private readonly agents = new Map<string, AtpAgent>();

  constructor(
    private readonly connection: PdsConnection,
    private readonly accounts: AtprotoAccountsRepository,
    private readonly backoff: NetworkBackoff,
  ) {}

  /**
   * The profile's account, created on first use; its handle follows the profile's domain.
   * Creating or renaming it waits out the profile's Bluesky backoff, and any failure lengthens it:
   * every caller (publications, profile sync, blocks) shares one wait instead of each retrying.
   */
  async ensure(profile: Profile): Promise<AtprotoAccount> {
    const handle = profile.domain.toLowerCase();
    const current = await this.accounts.findByProfile(profile.id);
    if (current?.handle === handle) return current;
    // Herald's own PDS still starting is no failure of the network: checked before the guard counts anything.
    this.connection.serviceUrl();
    return this.backoff.guard(profile.id, 'atproto', 'account', () => this.createOrRename(profile, handle));
  }

  private createOrRename(profile: Profile, handle: string): Promise<AtprotoAccount> {
    return this.accounts.withProfileLock(profile.id, async () => {
      const account = (await this.accounts.findByProfile(profile.id)) ?? (await this.create(profile));
      if (account.handle === handle) return account;
      // The row names the DID before the PDS checks the domain: Herald answers that check from it.
      await this.setHandle(account.did, handle);
      await this.accounts.updateHandle(profile.id, handle);
      return { ...account, handle };
    });
  }

  /**
   * A new account starts on a service-domain handle derived from the profile
   * (the PDS only creates accounts there); `ensure` then moves it to the
   * profile's domain through the admin API, which also permits reserved names
   * such as `news`. A crash between creating the account and storing its row
   * leaves an account Herald can find again by that handle and take over.
   */
  private async create(profile: Profile): Promise<AtprotoAccount> {
    const agent = await this.client();
    const server = await agent.com.atproto.server.describeServer().catch(classifyXrpcError);
    const tag = createHash('sha256').update(profile.id).digest('hex').slice(0, 12);
    const serviceHandle = `h${tag}${server.data.availableUserDomains[0]}`;
    const password = randomBytes(24).toString('base64url');
    const domain = profile.domain.toLowerCase();
    const { did, handle } = (await this.adopt(serviceHandle, password)) ??
      (await this.adopt(domain, password)) ?? {
        handle: serviceHandle,
        did: await this.createAccount({
          handle: serviceHandle,
          // The PDS requires an address (two labels at least) but never mails it here: Herald holds the password.
          email: `bluesky-${tag}@${domain.includes('.') ? domain : `${domain}.invalid`}`,
          password,
        }),
      };
    await this.accounts.insert({ profileId: profile.id, did, handle, password });
    return { profileId: profile.id, did, handle, password, notificationCursor: null, polledAt: null, createdAt: new Date() };
  }

  /** The account already on the PDS under `handle`, if any, with a new password Herald will keep. */
  private async adopt(handle: string, password: string): Promise<{ did: string; handle: string } | null> {
    const agent = await this.client();
    const headers = await this.adminHeaders();
    const found = await agent.com.atproto.identity.resolveHandle({ handle }).catch(() => null);
    if (!found) return null;
    const info = await agent.com.atproto.admin.getAccountInfo({ did: found.data.did }, { headers }).catch(() => null);
    if (!info) return null;
    await agent.com.atproto.admin
      .updateAccountPassword({ did: found.data.did, password }, { headers, encoding: 'application/json' })
      .catch(classifyXrpcError);
    return { did: found.data.did, handle: info.data.handle };
  }

  private async createAccount(input: { handle: string; email: string; password: string }): Promise<string> {
    const agent = await this.client();
    const headers = await this.adminHeaders();
    const invite = await agent.com.atproto.server
      .createInviteCode({ useCount: 1 }, { headers, encoding: 'application/json' })
      .catch(classifyXrpcError);
    const created = await agent.com.atproto.server
      .createAccount({ ...input, inviteCode: invite.data.code })
      .catch(async (error: unknown) => {
        // A code nobody will use again must not stay valid; a failed cleanup leaves one unused code, not a second error.
        await agent.com.atproto.admin
          .disableInviteCodes({ codes: [invite.data.code] }, { headers, encoding: 'application/json' })
          .catch(() => undefined);
        return classifyXrpcError(error);
      });
    return created.data.did;
  }

  private async setHandle(did: string, handle: string): Promise<void> {
    const agent = await this.client();
    await agent.com.atproto.admin
      .updateAccountHandle({ did, handle }, { headers: await this.adminHeaders(), encoding: 'application/json' })
      .catch(classifyXrpcError);
    this.agents.delete(did);
  }

  /** A logged-in agent for the profile's account. */
  async agentFor(profile: Profile): Promise<{ agent: AtpAgent; account: AtprotoAccount }> {
    const account = await this.ensure(profile);
    let agent = this.agents.get(account.did);
    if (!agent) {
      agent = await this.client();
      await agent.login({ identifier: account.did, password: account.password }).catch(classifyXrpcError);
      this.agents.set(account.did, agent);
    }
    return { agent, account };
  }

  /** A client of the PDS that names Herald as the caller (see PdsConnection.fetch). */
  private async client(): Promise<AtpAgent> {
    return new AtpAgent({ service: this.connection.serviceUrl(), fetch: await this.connection.fetch() });
  }

  private async adminHeaders(): Promise<Record<string, string>> {
    const password = await this.connection.adminPassword();
    return { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
  }
}
