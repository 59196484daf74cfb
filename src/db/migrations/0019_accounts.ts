import type { Kysely } from 'kysely';

/**
 * Accounts without a shell: invitations, one-time links (password reset, e-mail verification),
 * where an audited change came from, and people who asked to be forgotten.
 *
 * Every link's token is stored as its sha256 only: a leaked row cannot be replayed as a link.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    // sha256 of the link's token; a resend replaces it, so an older link stops working.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addColumn('send_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_at', 'text')
    .addColumn('person_id', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invitations_email_idx').on('invitations').column('email').execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    // 'password_reset' or 'email_verification'
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    // For a verification: the address it vouches for (a changed address needs a new link).
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('account_tokens_person_idx')
    .on('account_tokens')
    .columns(['person_id', 'purpose'])
    .execute();

  await db.schema.alterTable('audit_log').addColumn('ip', 'text').execute();
  await db.schema.createIndex('audit_log_action_idx').on('audit_log').column('action').execute();

  // 1 once the person confirmed (or chose) their timezone: the one-time prompt is not shown again.
  await db.schema
    .alterTable('people')
    .addColumn('timezone_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Set when the account was deleted: the row stays, anonymised, so meetings keep their history.
  await db.schema.alterTable('people').addColumn('deleted_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('people').dropColumn('deleted_at').execute();
  await db.schema.alterTable('people').dropColumn('timezone_confirmed').execute();
  await db.schema.dropIndex('audit_log_action_idx').execute();
  await db.schema.alterTable('audit_log').dropColumn('ip').execute();
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.dropTable('invitations').execute();
}
