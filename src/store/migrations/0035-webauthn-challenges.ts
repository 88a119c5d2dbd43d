import type { Kysely } from 'kysely';

// Passkeys (issue #20): the challenges of WebAuthn ceremonies in progress (src/mfa/webauthn-challenges.ts). A
// challenge is issued with a page that registers or uses a passkey, bound to the person and to what they are doing
// (their session, or the sign-in in progress), and is taken once: the answer deletes it. It expires after a few
// minutes; the maintenance sweep deletes expired ones. Deleted with the user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    /** 'register' or 'authenticate' */
    .addColumn('purpose', 'text', (c) => c.notNull())
    /** a keyed hash of what the ceremony is bound to (a session, a sign-in) */
    .addColumn('bound_to', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webauthn_challenges_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint(
      'webauthn_challenges_user_fk',
      ['tenant_id', 'user_id'],
      'users',
      ['tenant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('webauthn_challenges_expires')
    .on('webauthn_challenges')
    .columns(['expires_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
