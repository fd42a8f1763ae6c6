import { Module } from '@nestjs/common';
import { TableVersions } from './table-versions.js';

/** Versions of the tables the inbound path caches, one reader per process. */
@Module({ providers: [TableVersions], exports: [TableVersions] })
export class TableVersionsModule {}
