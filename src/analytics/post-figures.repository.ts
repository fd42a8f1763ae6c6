import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Protocol } from '../common/protocol.js';
import { FIGURES, type Figures, type NetworkFigures } from './post-figures.js';
import { latestFiguresSql } from './post-figures.sql.js';

/** Latest figures of given posts on each network: the public page, the console and the reports all read them here. */
@Injectable()
export class PostFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async latest(postIds: string[]): Promise<Map<string, NetworkFigures>> {
    if (postIds.length === 0) return new Map();
    const rows: Array<Record<Figure | 'post_id' | 'network', string>> = await this.dataSource.query(
      latestFiguresSql('SELECT unnest($1::uuid[])'),
      [postIds],
    );
    const byPost = new Map<string, NetworkFigures>();
    for (const row of rows) {
      const figures = byPost.get(row.post_id) ?? {};
      figures[row.network as Protocol] = figuresOf(row);
      byPost.set(row.post_id, figures);
    }
    return byPost;
  }
}

type Figure = (typeof FIGURES)[number];

export function figuresOf(row: Partial<Record<Figure, string | number | null>>): Figures {
  return Object.fromEntries(FIGURES.map((figure) => [figure, Number(row[figure] ?? 0)])) as Figures;
}
