import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import { textLengthProblem } from '../posts/post-limits.js';
import { sanitizeRemoteHtml } from '../inbox/content-sanitizer.js';
import { Post } from '../posts/post.entity.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { Protocol } from '../common/protocol.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { PostPreview } from '../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../publishing/protocol-adapters.registry.js';
import type { PreviewPostDto } from './preview.dto.js';

export interface PreviewResult {
  previews: PostPreview[];
  /** Enabled protocols whose adapter is not running here, or cannot preview. */
  unavailable: Protocol[];
}

/** How an unsaved post would look on each network the profile publishes to. Writes nothing. */
@Injectable()
export class PreviewService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly adapters: ProtocolAdapterRegistry,
  ) {}

  async preview(profileId: string, input: PreviewPostDto): Promise<PreviewResult> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) throw new NotFoundError('Profile', profileId);
    // The same limit as saving: a text too long to publish is not rendered (a 100,000-character note took 14 s).
    const tooLong = textLengthProblem(input.kind, input.text ?? '');
    if (tooLong) throw new InvalidInputError(tooLong, 'text');
    const post = toUnsavedPost(profile, input);
    const previews: PostPreview[] = [];
    const unavailable: Protocol[] = [];
    for (const protocol of profile.protocols) {
      const adapter = this.adapters.get(protocol);
      if (!adapter?.preview) {
        unavailable.push(protocol);
        continue;
      }
      // One network failing to render must not hide the others' previews.
      const preview = await adapter.preview(profile, post).catch((error: unknown): PostPreview => ({
        protocol,
        parts: [],
        warnings: [`Preview failed: ${error instanceof Error ? error.message : String(error)}`],
      }));
      // The console inserts this HTML as it comes: it passes the server's one sanitiser, as every HTML shown to staff does.
      previews.push({
        ...preview,
        parts: preview.parts.map((part) => (part.html ? { ...part, html: sanitizeRemoteHtml(part.html) } : part)),
      });
    }
    return { previews, unavailable };
  }
}

/** A canonical post as the adapters expect it, never stored. */
export function toUnsavedPost(profile: Profile, input: PreviewPostDto): Post {
  const now = new Date();
  return Object.assign(new Post(), {
    id: '00000000-0000-0000-0000-000000000000',
    profileId: profile.id,
    kind: input.kind,
    text: input.text ?? '',
    title: input.title ?? null,
    summary: input.summary ?? null,
    language: input.language ?? null,
    contentWarning: input.contentWarning ?? null,
    attachments: input.attachments ?? [],
    threadParentId: null,
    replyToInteractionId: null,
    audience: 'public',
    status: 'draft',
    scheduledAt: input.scheduledAt ?? null,
    publishedAt: null,
    createdBy: null,
    approvedBy: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  } satisfies Post);
}
