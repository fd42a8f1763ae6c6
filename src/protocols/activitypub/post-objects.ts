import { Inject, Injectable } from '@nestjs/common';
import { type Article, Create, type Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { PublicUrls } from '../../common/public-urls.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MediaRepository } from '../../media/media.repository.js';
import type { Post } from '../../posts/post.entity.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type { PostObjectRefs } from './activitypub-refs.js';
import { toPostObject } from './post-object.js';

/** Builds a post's Note/Article with its media and stored refs; used for delivery and for the object URL alike. */
@Injectable()
export class PostObjects {
  readonly urls: PublicUrls;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly media: MediaRepository,
  ) {
    this.urls = PublicUrls.from(config);
  }

  tagUrl = (tag: string): string => `${this.urls.base}/tags/${encodeURIComponent(tag.toLowerCase())}`;

  async build(profile: Profile, post: Post, refs: PostObjectRefs, updated?: Date | null): Promise<Note | Article> {
    const found = await this.media.findMany(post.attachments.map((attachment) => attachment.mediaId));
    const media = post.attachments.flatMap((attachment) => {
      const row = found.find((candidate) => candidate.id === attachment.mediaId);
      return row
        ? [
            {
              url: this.urls.media(row.id),
              mimeType: row.mimeType,
              altText: attachment.altText || row.altText,
              width: row.width,
              height: row.height,
            },
          ]
        : [];
    });
    return toPostObject({
      post,
      id: new URL(this.urls.post(profile.handle, post.id)),
      actorId: new URL(this.urls.profile(profile.handle)),
      followersId: new URL(`${this.urls.profile(profile.handle)}/followers`),
      tagUrl: this.tagUrl,
      media,
      mentions: refs.mentions ?? [],
      inReplyTo: refs.inReplyTo ? new URL(refs.inReplyTo) : null,
      answeredAuthor: refs.answeredAuthor ? new URL(refs.answeredAuthor) : null,
      updated,
    });
  }
}

/** Whether anyone may read the object (public or unlisted), or only those it addresses. */
export function addressesPublic(object: Note | Article): boolean {
  return [...object.toIds, ...object.ccIds].some((id) => id.href === PUBLIC_COLLECTION.href);
}

/** The Create that carries a post's object, addressed as the object is: the same in the outbox collection and in delivery. */
export function createActivityOf(object: Note | Article): Create {
  return new Create({
    id: new URL(`${object.id!.href}#create`),
    actor: object.attributionId,
    object,
    tos: object.toIds,
    ccs: object.ccIds,
    published: object.published,
  });
}
