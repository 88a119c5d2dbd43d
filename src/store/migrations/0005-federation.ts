import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A tenant's upstream identity providers: SAML 2.0, WS-Federation, OpenID Connect and Google. `config` holds the
  // public settings as JSON; `secret` the OIDC client secret, sealed with a deployment key (it must be sent, so it
  // cannot be hashed).
  await db.schema
    .createTable('identity_providers')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_providers_pk', ['tenant_id', 'id'])
    .execute();
  // The primary key is the rule "a domain maps to at most one identity provider per tenant".
  await db.schema
    .createTable('identity_provider_domains')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_domains_pk', ['tenant_id', 'domain'])
    .execute();
  await db.schema
    .createIndex('identity_provider_domains_provider')
    .on('identity_provider_domains')
    .columns(['tenant_id', 'provider_id'])
    .execute();
  // A sign-in sent to an upstream provider, keyed by the hash of the state it carries (RelayState, state, wctx):
  // what to check when it returns (nonce, PKCE verifier, AuthnRequest id), what it is for, and once it has returned,
  // the verified identity, until the browser that started it picks it up (once).
  await db.schema
    .createTable('federation_requests')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('binding', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text')
    .addColumn('consumed_at', 'text')
    .addPrimaryKeyConstraint('federation_requests_pk', ['tenant_id', 'id'])
    .execute();
  // SAML assertion ids already accepted, until they expire: a replayed assertion is refused.
  await db.schema
    .createTable('saml_assertions_seen')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('assertion_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_assertions_seen_pk', ['tenant_id', 'issuer', 'assertion_id'])
    .execute();
  // Which user an upstream identity (issuer, subject) signs in as; never looked up by email.
  await db.schema
    .createTable('external_identities')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_identities_pk', ['tenant_id', 'issuer', 'subject'])
    .execute();
  await db.schema
    .createIndex('external_identities_user')
    .on('external_identities')
    .columns(['tenant_id', 'user_id'])
    .execute();
  // My Apps lists every tenant where one identity has a guest account.
  await db.schema
    .createIndex('external_identities_identity')
    .on('external_identities')
    .columns(['issuer', 'subject'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
