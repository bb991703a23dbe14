/** Small DDL helpers that hide the few places where SQLite and PostgreSQL differ. */
import type { CreateTableBuilder } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Adds an auto-increment bigint primary key named `id`.
 * SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT` (an alias of the rowid, 64-bit; AUTOINCREMENT stops
 * ids of deleted rows from being reused). PostgreSQL: `bigint GENERATED ALWAYS AS IDENTITY`
 * (SQL:2003 identity column), which refuses explicit ids and so cannot collide with the sequence.
 */
export function addAutoIdColumn<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  engine: Engine,
): CreateTableBuilder<T, C | 'id'> {
  return engine === 'sqlite'
    ? table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity());
}
