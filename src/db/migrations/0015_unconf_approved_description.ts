import type { Kysely } from 'kysely';

/**
 * The Markdown source of a proposal's approved text, beside the approved title and HTML that 0014
 * keeps: an admin who turns down an edit by an unverified member puts the approved text back whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('unconf_proposals').addColumn('approved_description', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('unconf_proposals').dropColumn('approved_description').execute();
}
