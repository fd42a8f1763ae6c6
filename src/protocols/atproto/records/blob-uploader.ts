import { readFile } from 'node:fs/promises';
import type { AtpAgent, BlobRef } from '@atproto/api';
import { Injectable } from '@nestjs/common';
import type { Media } from '../../../media/media.entity.js';
import { MediaRepository } from '../../../media/media.repository.js';
import { MediaStorage } from '../../../media/media.storage.js';
import { classifyXrpcError } from '../xrpc-errors.js';

export interface UploadedBlob {
  media: Media;
  blob: BlobRef;
}

/** Uploads canonical media to the profile's repo as blobs (content-addressed, so a retry uploads the same blob). */
@Injectable()
export class BlobUploader {
  constructor(
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
  ) {}

  async upload(agent: AtpAgent, mediaIds: string[]): Promise<UploadedBlob[]> {
    const found = await this.media.findMany(mediaIds);
    const byId = new Map(found.map((media) => [media.id, media]));
    const uploaded: UploadedBlob[] = [];
    for (const id of mediaIds) {
      const media = byId.get(id);
      if (!media) continue;
      const bytes = await readFile(this.storage.pathOf(media.storageKey));
      const response = await agent.uploadBlob(bytes, { encoding: media.mimeType }).catch(classifyXrpcError);
      uploaded.push({ media, blob: response.data.blob });
    }
    return uploaded;
  }
}
