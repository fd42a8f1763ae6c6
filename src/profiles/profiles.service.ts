import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import { MediaRepository } from '../media/media.repository.js';
import { Outbox, type OutboxReceipt } from '../outbox/outbox.js';
import type { EntityManager } from 'typeorm';
import type { CreateProfileDto, UpdateProfileDto } from './profile.dto.js';
import { type Profile } from './profile.entity.js';
import { PROTOCOLS } from '../common/protocol.js';
import { ProfilesRepository } from './profiles.repository.js';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly media: MediaRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: Outbox,
  ) {}

  list(): Promise<Profile[]> {
    return this.profiles.list();
  }

  async get(id: string): Promise<Profile> {
    const profile = await this.profiles.findById(id);
    if (!profile) throw new NotFoundError('Profile', id);
    return profile;
  }

  async create(input: CreateProfileDto, actor: StaffPrincipal): Promise<Profile> {
    const { profile, receipt } = await this.profiles.transaction(async (manager) => {
      await this.assertUnique(input.handle, input.domain, null, manager);
      const created = await this.profiles.insert(
        {
          ...input,
          domain: input.domain.toLowerCase(),
          protocols: [...new Set(input.protocols ?? PROTOCOLS)],
          fields: input.fields ?? [],
        },
        manager,
      );
      await this.audit.insert(
        { actorId: actor.id, action: 'profile.create', subjectType: 'profile', subjectId: created.id, details: { ...input } },
        manager,
      );
      return { profile: created, receipt: await this.syncLater(created.id, 'created', manager) };
    });
    this.outbox.flush(receipt);
    return profile;
  }

  async update(id: string, changes: UpdateProfileDto, actor: StaffPrincipal): Promise<Profile> {
    const { profile, receipt } = await this.profiles.transaction(async (manager) => {
      if (!(await this.profiles.findById(id, manager))) throw new NotFoundError('Profile', id);
      await this.assertUnique(changes.handle, changes.domain, id, manager);
      for (const field of ['avatarMediaId', 'bannerMediaId'] as const) {
        const mediaId = changes[field];
        if (mediaId && !(await this.media.belongsTo(mediaId, id, manager))) {
          throw new InvalidInputError(`${field}: media ${mediaId} is not an upload of this profile`, field);
        }
      }
      const updated = await this.profiles.update(
        id,
        {
          ...changes,
          ...(changes.domain ? { domain: changes.domain.toLowerCase() } : {}),
          ...(changes.protocols ? { protocols: [...new Set(changes.protocols)] } : {}),
        },
        manager,
      );
      await this.audit.insert(
        { actorId: actor.id, action: 'profile.update', subjectType: 'profile', subjectId: id, details: { ...changes } },
        manager,
      );
      return { profile: updated, receipt: await this.syncLater(id, 'updated', manager) };
    });
    this.outbox.flush(receipt);
    return profile;
  }

  /** The networks learn of the change through the outbox, so a Redis outage neither fails the request nor loses the sync. */
  private syncLater(profileId: string, reason: 'created' | 'updated', manager: EntityManager): Promise<OutboxReceipt> {
    return this.outbox.write([{ kind: 'profile-sync', payload: { profileId, reason } }], manager);
  }

  private async assertUnique(
    handle: string | undefined,
    domain: string | undefined,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<void> {
    const conflict = await this.profiles.conflicts(handle, domain, exceptId, manager);
    if (conflict) throw new ConflictError(`Another profile already uses this ${conflict}`, conflict);
  }
}
