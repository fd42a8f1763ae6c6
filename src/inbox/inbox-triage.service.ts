import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { InvalidInputError, NotFoundError } from '../common/domain-errors.js';
import type { BulkInboxDto, UpdateInteractionDto } from './inbox.dto.js';
import { InboxEvents } from './inbox-events.js';
import { InboxQueries, type InboxDetail } from './inbox.queries.js';
import { InteractionsRepository, type TriageChange } from './interactions.repository.js';

/** Moderators' work on the inbox: states, assignees, labels, notes, one by one or in bulk. */
@Injectable()
export class InboxTriageService {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly events: InboxEvents,
    private readonly audit: AuditRepository,
    private readonly view: InboxQueries,
  ) {}

  async update(id: string, input: UpdateInteractionDto, actor: StaffPrincipal): Promise<InboxDetail> {
    const interaction = await this.interactions.findById(id);
    if (!interaction) throw new NotFoundError('Interaction', id);
    if (Object.keys(input).length === 0) throw new InvalidInputError('state, assigneeId or labels: nothing to change', 'state');
    const change: TriageChange = { state: input.state, assigneeId: input.assigneeId, labels: input.labels };
    // Assigning someone moves a new item to "assigned" unless a state was asked for.
    if (input.assigneeId && !input.state && interaction.state === 'new') change.state = 'assigned';
    await this.apply(interaction.profileId, [id], change, actor, { fields: Object.keys(input) });
    return this.view.detail(id);
  }

  async bulk(profileId: string, input: BulkInboxDto, actor: StaffPrincipal): Promise<{ updated: string[] }> {
    await this.view.assertProfile(profileId);
    const change: TriageChange =
      input.action === 'state'
        ? { state: input.state }
        : input.action === 'assign'
          ? { assigneeId: input.assigneeId ?? null }
          : input.action === 'label'
            ? { addLabels: [input.label!] }
            : { removeLabels: [input.label!] };
    const updated = await this.apply(profileId, [...new Set(input.ids)], change, actor, { bulk: input.action });
    return { updated };
  }

  async addNote(id: string, text: string, actor: StaffPrincipal): Promise<InboxDetail> {
    const interaction = await this.interactions.findById(id);
    if (!interaction) throw new NotFoundError('Interaction', id);
    await this.interactions.transaction(async (manager) => {
      const note = await this.interactions.insertNote({ interactionId: id, authorId: actor.id, text }, manager);
      await this.audit.insert(
        { actorId: actor.id, action: 'interaction.note', subjectType: 'interaction', subjectId: id, details: { noteId: note.id } },
        manager,
      );
      await this.events.emit({ type: 'interaction.updated', interaction }, manager);
    });
    return this.view.detail(id);
  }

  /** The answer went out: the interaction is answered. Called by the answer path. */
  async markAnswered(profileId: string, id: string, postId: string, actor: StaffPrincipal): Promise<void> {
    await this.apply(profileId, [id], { state: 'answered' }, actor, { answerPostId: postId }, 'interaction.answer');
  }

  /** Streams the current state of interactions changed elsewhere (e.g. hidden by a block). */
  async announce(ids: string[]): Promise<void> {
    for (const interaction of await this.interactions.findByIds(ids)) await this.events.emit({ type: 'interaction.updated', interaction });
  }

  private async apply(
    profileId: string,
    ids: string[],
    change: TriageChange,
    actor: StaffPrincipal,
    details: Record<string, unknown>,
    action = 'interaction.triage',
  ): Promise<string[]> {
    if (change.assigneeId && !(await this.interactions.staffExists(change.assigneeId))) {
      throw new InvalidInputError('assigneeId: no active staff member with this id', 'assigneeId');
    }
    const updated = await this.interactions.transaction(async (manager) => {
      const touched = await this.interactions.applyTriage(profileId, ids, change, manager);
      if (touched.length > 0) {
        await this.audit.insert(
          {
            actorId: actor.id,
            action,
            subjectType: 'interaction',
            subjectId: touched.length === 1 ? touched[0] : null,
            details: { ...details, ...change, ids: touched },
          },
          manager,
        );
      }
      for (const interaction of await this.interactions.findByIds(touched, manager))
        await this.events.emit({ type: 'interaction.updated', interaction }, manager);
      return touched;
    });
    if (updated.length === 0 && ids.length > 0)
      throw new NotFoundError('Interaction', ids.length === 1 ? ids[0] : `of [${ids.join(', ')}] in profile ${profileId}`);
    return updated;
  }
}
