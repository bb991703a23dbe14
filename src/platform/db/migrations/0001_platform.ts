/** Platform tables: the transactional outbox. */
import { sql } from 'kysely';
import type { ParleyMigration } from './types.ts';
import { addAutoIdColumn } from './helpers.ts';

export const m0001Platform: ParleyMigration = {
  name: '0001_platform',
  async up(db, engine) {
    await addAutoIdColumn(db.schema.createTable('outbox_events'), engine)
      .addColumn('event_id', 'text', (col) => col.notNull().unique())
      .addColumn('topic', 'text', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('claimed_at', 'bigint')
      .addColumn('claimed_by', 'text')
      .addColumn('published_at', 'bigint')
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    // Partial index: publishers only ever look for unpublished rows, which are few; published
    // rows wait out the retention window and do not bloat this index.
    await db.schema
      .createIndex('outbox_events_unpublished')
      .on('outbox_events')
      .columns(['id', 'claimed_at', 'created_at'])
      .where(sql<boolean>`published_at is null`)
      .execute();
    // Retention cleanup deletes by publication time.
    await db.schema
      .createIndex('outbox_events_published_at')
      .on('outbox_events')
      .column('published_at')
      .execute();
  },
};
