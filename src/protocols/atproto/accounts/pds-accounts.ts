import { randomBytes } from 'node:crypto';
import { AtpAgent } from '@atproto/api';
import { Injectable } from '@nestjs/common';
import type { Profile } from '../../../profiles/profile.entity.js';
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
  ) {}

  /** The profile's account, created on first use; its handle follows the profile's domain. */
  async ensure(profile: Profile): Promise<AtprotoAccount> {
    const handle = profile.domain.toLowerCase();
    const existing = await this.accounts.findByProfile(profile.id);
    if (existing) {
      if (existing.handle !== handle) {
        await this.setHandle(existing.did, handle);
        await this.accounts.updateHandle(profile.id, handle);
        return { ...existing, handle };
      }
      return existing;
    }
    const password = randomBytes(24).toString('base64url');
    const did = (await this.adopt(handle, password)) ?? (await this.createAccount(handle, password).catch(classifyXrpcError));
    await this.accounts.insert({ profileId: profile.id, did, handle, password });
    return { profileId: profile.id, did, handle, password, notificationCursor: null, polledAt: null, createdAt: new Date() };
  }

  /**
   * A crash between creating the account and storing it leaves an account
   * Herald has no row for: take it over (new password) instead of failing on
   * "handle already taken" forever.
   */
  private async adopt(handle: string, password: string): Promise<string | null> {
    const agent = new AtpAgent({ service: this.connection.serviceUrl() });
    const headers = await this.adminHeaders();
    const found = await agent.com.atproto.identity.resolveHandle({ handle }).catch(() => null);
    if (!found) return null;
    const info = await agent.com.atproto.admin.getAccountInfo({ did: found.data.did }, { headers }).catch(() => null);
    if (!info) return null;
    await agent.com.atproto.admin.updateAccountPassword({ did: found.data.did, password }, { headers, encoding: 'application/json' }).catch(classifyXrpcError);
    return found.data.did;
  }

  /**
   * A new account starts on a random service-domain handle (the PDS only
   * creates accounts there), then moves to the profile's domain through the
   * admin API, which also permits reserved names such as `news`.
   */
  private async createAccount(handle: string, password: string): Promise<string> {
    const agent = new AtpAgent({ service: this.connection.serviceUrl() });
    const headers = await this.adminHeaders();
    const server = await agent.com.atproto.server.describeServer();
    const domain = server.data.availableUserDomains[0];
    const invite = await agent.com.atproto.server.createInviteCode({ useCount: 1 }, { headers, encoding: 'application/json' });
    const created = await agent.com.atproto.server.createAccount({
      handle: `h${randomBytes(6).toString('hex')}${domain}`,
      email: `${randomBytes(6).toString('hex')}@${domain.slice(1)}`,
      password,
      inviteCode: invite.data.code,
    });
    await this.setHandle(created.data.did, handle);
    return created.data.did;
  }

  private async setHandle(did: string, handle: string): Promise<void> {
    const agent = new AtpAgent({ service: this.connection.serviceUrl() });
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
      agent = new AtpAgent({ service: this.connection.serviceUrl() });
      await agent.login({ identifier: account.did, password: account.password }).catch(classifyXrpcError);
      this.agents.set(account.did, agent);
    }
    return { agent, account };
  }

  private async adminHeaders(): Promise<Record<string, string>> {
    const password = await this.connection.adminPassword();
    return { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
  }
}
