import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/domain-errors.js';
import { followUrlFromTemplate, parseFediverseAccount } from './remote-follow.js';
import { WebFingerClient } from './webfinger.client.js';

/**
 * Where to send a visitor who wants to follow from their own fediverse account:
 * only to the follow page their server names in WebFinger, never to a host taken
 * from the form, so the follow link cannot become an open redirect.
 */
@Injectable()
export class RemoteFollowService {
  constructor(private readonly webFinger: WebFingerClient) {}

  async followUrl(input: string, actorUrl: string): Promise<string> {
    const account = parseFediverseAccount(input);
    const lookup = await this.webFinger.subscribeTemplate(account);
    const address = `@${account.user}@${account.host}`;
    if ('refused' in lookup) throw new InvalidInputError(`account: cannot follow from ${address}: ${lookup.refused}`, 'account');
    const url = followUrlFromTemplate(lookup.template, actorUrl, this.webFinger.allowsHttp);
    if (!url) throw new InvalidInputError(`account: ${account.host} named an unusable follow page for ${address}`, 'account');
    return url;
  }
}
