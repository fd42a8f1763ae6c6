import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InteractionNote } from '../inbox/interaction-note.entity.js';
import { Interaction, type InteractionKind, type TriageState } from '../inbox/interaction.entity.js';
import type { Protocol } from '../common/protocol.js';

export interface InboxListQuery {
  profileId: string;
  state?: TriageState;
  protocol?: Protocol;
  kind?: InteractionKind;
  limit: number;
}

/** The console's server-rendered inbox list: newest first, with the triage filters. */
@Injectable()
export class InboxListRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(query: InboxListQuery): Promise<Interaction[]> {
    const builder = this.dataSource
      .getRepository(Interaction)
      .createQueryBuilder('interaction')
      .where('interaction.profileId = :profileId', { profileId: query.profileId })
      .orderBy('interaction.receivedAt', 'DESC')
      .addOrderBy('interaction.id', 'DESC')
      .take(query.limit);
    // Like the inbox API: without a state filter, hidden and spam stay out of the way.
    if (query.state) builder.andWhere('interaction.state = :state', { state: query.state });
    else builder.andWhere(`interaction.state NOT IN ('hidden', 'spam')`);
    if (query.protocol) builder.andWhere('interaction.protocol = :protocol', { protocol: query.protocol });
    if (query.kind) builder.andWhere('interaction.kind = :kind', { kind: query.kind });
    return builder.getMany();
  }

  /** The internal notes on these interactions, oldest first. */
  notes(interactionIds: string[]): Promise<InteractionNote[]> {
    if (interactionIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(InteractionNote)
      .createQueryBuilder('note')
      .where('note.interactionId IN (:...interactionIds)', { interactionIds })
      .orderBy('note.createdAt', 'ASC')
      .getMany();
  }

  findById(id: string): Promise<Interaction | null> {
    return this.dataSource.getRepository(Interaction).findOneBy({ id });
  }
}
