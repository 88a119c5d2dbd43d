import type { Kysely } from 'kysely';

// Multifactor authentication (issue #20), owned by src/mfa/:
// - authentication_methods: a person's second factors, one row per method, whatever its type (mfa/methods.ts: an
//   authenticator app 'softwareOath', a passkey 'fido2', ...). `data` is the type's JSON, its secrets sealed with the
//   deployment key (keyring.ts). `counter` is the last value a use consumed (a TOTP time step, a WebAuthn signature
//   counter): a use moves it forward in one conditional update, so a code is never accepted twice.
// - recovery_codes: one-time recovery codes, stored as MACs under the deployment key (mfa/recovery.ts); a use sets
//   used_at in one conditional update.
// - sessions gain when MFA was done (mfa_at) and by which method type (mfa_method): the MFA step reads them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('authentication_methods')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addPrimaryKeyConstraint('authentication_methods_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint(
      'authentication_methods_user_fk',
      ['tenant_id', 'user_id'],
      'users',
      ['tenant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('authentication_methods_user')
    .on('authentication_methods')
    .columns(['tenant_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('code_mac', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('recovery_codes_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['tenant_id', 'user_id']).execute();
  await db.schema.alterTable('sessions').addColumn('mfa_at', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('mfa_method', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
