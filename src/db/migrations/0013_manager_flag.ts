import type { Kysely } from 'kysely';

/**
 * Whether `is_manager` was stated by the directory. A stated flag decides, false included; the
 * manager title pattern only speaks for people whose flag nobody stated (they signed up, say).
 * Existing directory people are marked too: their feed has always had to carry the flag.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('is_manager_stated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('people' as never)
    .set({ is_manager_stated: 1 } as never)
    .where(
      'id' as never,
      'in',
      db
        .selectFrom('external_ids' as never)
        .select('person_id' as never)
        .where('source' as never, '=', 'directory' as never),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('people').dropColumn('is_manager_stated').execute();
}
