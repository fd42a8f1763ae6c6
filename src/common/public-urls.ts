import type { AppConfig } from '../config/app-config.js';

/**
 * The public URLs of a profile and its posts. Each URL is shared by every
 * representation: a browser gets HTML, a fediverse server gets ActivityStreams
 * JSON (content negotiation), so the ActivityPub ids are these URLs.
 */
export class PublicUrls {
  constructor(private readonly origin: string) {}

  static from(config: AppConfig): PublicUrls {
    return new PublicUrls(config.http.publicUrl.origin);
  }

  get base(): string {
    return this.origin;
  }

  profile(handle: string): string {
    return `${this.origin}/@${handle}`;
  }

  post(handle: string, postId: string): string {
    return `${this.origin}/@${handle}/posts/${postId}`;
  }

  media(mediaId: string): string {
    return `${this.origin}/media/${mediaId}`;
  }

  rss(handle: string): string {
    return `${this.origin}/@${handle}/feed.rss`;
  }

  atom(handle: string): string {
    return `${this.origin}/@${handle}/feed.atom`;
  }
}
