import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import { PostsService, type PostWithPublications } from '../posts/posts.service.js';
import type { AnswerDto } from './inbox.dto.js';
import { InboxTriageService } from './inbox-triage.service.js';
import type { InteractionKind } from './interaction.entity.js';
import { InteractionsRepository } from './interactions.repository.js';

/** Kinds that carry a post one can reply to; a like or a follow has nothing to answer. */
const ANSWERABLE: InteractionKind[] = ['reply', 'mention', 'quote'];

/**
 * Answering from the inbox: the moderator writes once, and the answer becomes a
 * canonical post that the interaction's own protocol publishes as a native reply.
 */
@Injectable()
export class InboxAnswerService {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly posts: PostsService,
    private readonly triage: InboxTriageService,
  ) {}

  async answer(id: string, input: AnswerDto, actor: StaffPrincipal): Promise<PostWithPublications> {
    const interaction = await this.interactions.findById(id);
    if (!interaction) throw new NotFoundError('Interaction', id);
    if (!ANSWERABLE.includes(interaction.kind))
      throw new ConflictError(`A ${interaction.kind} cannot be answered (only: ${ANSWERABLE.join(', ')})`, 'kind');
    if (interaction.withdrawnAt) throw new ConflictError('The author deleted this post; there is nothing left to answer', 'withdrawnAt');
    const post = await this.posts.create(
      interaction.profileId,
      { kind: 'note', text: input.text, language: input.language, contentWarning: input.contentWarning, status: 'published' },
      actor,
      { replyTo: interaction },
    );
    await this.triage.markAnswered(interaction.profileId, id, post.id, actor);
    return post;
  }
}
