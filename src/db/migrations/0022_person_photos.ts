import type { Kysely } from 'kysely';

/**
 * Uploaded profile photos, already resized. Kept in the database (base64 text, like every other
 * value here one code path for both engines) so a backup holds them and no shared disk is needed
 * between instances. A few tens of KB each: the resize bounds them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('person_photos')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    // A hash of the stored bytes: in the avatar URL, so a new photo is never served from a cache.
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('person_photos').execute();
}
