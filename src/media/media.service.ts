import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Media } from './media.entity.js';
import { MediaRepository } from './media.repository.js';
import { MediaStorage } from './media.storage.js';

const FORMATS: Record<string, { mimeType: string; extension: string }> = {
  jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
  png: { mimeType: 'image/png', extension: 'png' },
  webp: { mimeType: 'image/webp', extension: 'webp' },
  gif: { mimeType: 'image/gif', extension: 'gif' },
};

export interface Upload {
  bytes: Buffer;
  altText: string;
}

@Injectable()
export class MediaService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly audit: AuditRepository,
  ) {}

  /** Checks the bytes really are an image (whatever the client claimed) and drops EXIF (location, camera) on the way in. */
  async upload(profileId: string, upload: Upload, actor: StaffPrincipal): Promise<Media> {
    if (!(await this.media.profileExists(profileId))) throw new NotFoundError('Profile', profileId);
    if (upload.bytes.length === 0) throw new InvalidInputError('file: the upload is empty', 'file');
    if (upload.bytes.length > this.config.media.maxBytes)
      throw new InvalidInputError(`file: larger than ${formatBytes(this.config.media.maxBytes)}, the most an upload may be`, 'file');
    // Loaded at the first upload: only processes that take uploads need libvips in memory.
    const { default: sharp } = await import('sharp');
    const metadata = await sharp(upload.bytes, { animated: true })
      .metadata()
      .catch(() => null);
    const format = metadata?.format ? FORMATS[metadata.format] : undefined;
    if (!metadata || !format || !metadata.width || !metadata.height) {
      throw new InvalidInputError('file: not a JPEG, PNG, WebP or GIF image', 'file');
    }
    const bytes = metadata.format === 'gif' ? upload.bytes : await sharp(upload.bytes).rotate().toBuffer();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const storageKey = `${sha256}.${format.extension}`;
    await this.storage.write(storageKey, bytes);
    const media = await this.media.insert({
      profileId,
      storageKey,
      mimeType: format.mimeType,
      sizeBytes: bytes.length,
      width: metadata.width,
      height: metadata.pageHeight ?? metadata.height,
      altText: upload.altText,
      sha256,
    });
    await this.audit.insert({
      actorId: actor.id,
      action: 'media.upload',
      subjectType: 'media',
      subjectId: media.id,
      details: { profileId, mimeType: media.mimeType, sizeBytes: media.sizeBytes },
    });
    return media;
  }

  async get(id: string): Promise<Media> {
    const media = await this.media.findById(id);
    if (!media) throw new NotFoundError('Media', id);
    return media;
  }
}

/** 16777216 → "16 MB": what staff read, in binary megabytes as upload limits usually are. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
