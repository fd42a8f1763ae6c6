import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Interaction } from './interaction.entity.js';

@Injectable()
export class InteractionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless (protocol, remote_id) is already stored; returns the row only when it is new. */
  async insertOnce(values: Partial<Interaction>): Promise<Interaction | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Interaction)
      .values(values as never)
      .orIgnore()
      .returning('id')
      .execute();
    const id = result.raw[0]?.id as string | undefined;
    return id ? this.dataSource.getRepository(Interaction).findOneByOrFail({ id }) : null;
  }

  findById(id: string): Promise<Interaction | null> {
    return this.dataSource.getRepository(Interaction).findOneBy({ id });
  }

  findByRemoteId(protocol: string, remoteId: string): Promise<Interaction | null> {
    return this.dataSource.getRepository(Interaction).findOneBy({ protocol: protocol as Interaction['protocol'], remoteId });
  }

  /** Marks an interaction the remote side deleted or undid; returns it when something changed. */
  async markWithdrawn(protocol: string, remoteId: string): Promise<Interaction | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE interaction SET withdrawn_at = now() WHERE protocol = $1 AND remote_id = $2 AND withdrawn_at IS NULL RETURNING id`,
      [protocol, remoteId],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  async updateContent(protocol: string, remoteId: string, contentHtml: string, contentText: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE interaction SET content_html = $3, content_text = $4 WHERE protocol = $1 AND remote_id = $2`,
      [protocol, remoteId, contentHtml, contentText],
    );
  }
}
