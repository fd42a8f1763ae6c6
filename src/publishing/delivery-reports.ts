import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors.js';
import { PostsRepository } from '../posts/posts.repository.js';
import { PublicationsRepository } from '../posts/publications.repository.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';

export interface NetworkDelivery {
  protocol: string;
  state: string;
  action: string;
  publishedAt: Date | null;
  lastError: string | null;
  /** What the network's adapter knows; `error` when it could not say. */
  report: Record<string, unknown>;
}

/** "Did it land?": for each network a post went to, its publication and what the network side knows of it. */
@Injectable()
export class DeliveryReports {
  constructor(
    private readonly posts: PostsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly publications: PublicationsRepository,
    private readonly adapters: ProtocolAdapterRegistry,
  ) {}

  async forPost(postId: string): Promise<{ postId: string; networks: NetworkDelivery[] }> {
    const post = await this.posts.findById(postId);
    if (!post) throw new NotFoundError('post', postId);
    const profile = await this.profiles.findById(post.profileId);
    if (!profile) throw new NotFoundError('profile', post.profileId);
    const networks: NetworkDelivery[] = [];
    for (const publication of await this.publications.listByPost(postId)) {
      const adapter = this.adapters.get(publication.protocol);
      const report = adapter?.deliveryReport
        ? await adapter.deliveryReport(profile, publication).catch((error: unknown) => ({
            error: error instanceof Error ? error.message : String(error),
          }))
        : {};
      networks.push({
        protocol: publication.protocol,
        state: publication.state,
        action: publication.action,
        publishedAt: publication.publishedAt,
        lastError: publication.lastError,
        report,
      });
    }
    return { postId, networks };
  }
}
