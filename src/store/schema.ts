// The one schema both stores share. Portable column types on purpose: timestamps are ISO-8601 UTC text
// (sortable as text), booleans are 0/1 integers and structured values are JSON text, so every query reads the
// same on SQLite and PostgreSQL. Every table that belongs to a tenant has `tenant_id` first.
import type { ColumnType, Generated } from 'kysely';

export type Bool = 0 | 1;

export interface DeploymentTable {
  key: string;
  value: string;
}

/** store/epochs.ts: a tenant's configuration epoch, counted up by each change to it (migration 0051) */
export interface CacheEpochsTable {
  tenant_id: string;
  epoch: number;
}

export interface TenantsTable {
  id: string;
  display_name: string;
  slug: string;
  initial_domain: string;
  privacy_statement_url: string | null;
  privacy_contact_email: string | null;
  /** JSON: { logoUrl?, primaryColor?, backgroundColor? } */
  branding: string;
  /** JSON: per-tenant settings that later capabilities add to (ticket lifetime, passcode, ...). */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface TenantDomainsTable {
  tenant_id: string;
  /** lower-case domain name; several tenants may add one, only one may have it verified (0012) */
  name: string;
  is_initial: Bool;
  is_verified: Bool;
  created_at: string;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  user_type: 'Member' | 'Guest';
  user_principal_name: string;
  upn_normalized: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  mail_normalized: string | null;
  /** JSON string[] */
  other_mails: string;
  /** JSON string[] */
  proxy_addresses: string;
  account_enabled: Bool;
  created_at: string;
  creation_type: string | null;
  external_user_state: string | null;
  external_user_state_changed_at: string | null;
  /** JSON [{ signInType, issuer, issuerAssignedId }] */
  identities: string;
  password_hash: string | null;
  /** JSON string[] of directory role names */
  roles: string;
  updated_at: string;
  /** 1 when the invited address belonged to a contact: the guest was created without mail (seed limitation) */
  contact_conflict: Generated<Bool>;
  /** the address a guest was invited at (kept even when `mail` is empty because of a contact conflict) */
  invited_email: ColumnType<string | null, string | null | undefined, string | null>;
  /** when the user was deleted (Entra's deleted items, restorable for 30 days); null for a user in the directory */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: the password was reset and must be changed at the next sign-in (migration 0029) */
  must_change_password: Generated<Bool>;
}

export interface GroupsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string | null;
  created_at: string;
  /** set while the group is in deleted items (migration 0029) */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface GroupMembersTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
}

export interface ContactsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  company_name: string | null;
  mail: string | null;
  mail_normalized: string | null;
  /** JSON string[] */
  proxy_addresses: string;
  created_at: string;
}

export interface AuditEventsTable {
  tenant_id: string;
  id: string;
  activity_date_time: string;
  category: string;
  activity_display_name: string;
  operation_type: string;
  result: 'success' | 'failure';
  result_reason: string | null;
  /** JSON { user?: {id, userPrincipalName}, app?: {appId, displayName} } */
  initiated_by: string;
  /** JSON [{ id, type, displayName?, userPrincipalName? }] */
  target_resources: string;
  /** JSON [{ key, value }] */
  additional_details: string;
}

export interface AppsTable {
  tenant_id: string;
  id: string;
  client_id: string;
  display_name: string;
  /** SHA-256 of the client secret; null for public clients */
  secret_hash: string | null;
  /** JSON string[] */
  redirect_uris: string;
  /** JSON string[] */
  post_logout_redirect_uris: string;
  /** JSON string[] */
  grant_types: string;
  /** JSON string[]: application permissions granted to the app itself (client credentials) */
  app_permissions: string;
  is_management: Bool;
  created_at: string;
  logo_url: ColumnType<string | null, string | null | undefined, string | null>;
  homepage_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: only assigned users (directly or through a group) may sign in */
  assignment_required: Generated<Bool>;
  /** JSON string[]: delegated scopes the app asks for */
  delegated_permissions: Generated<string>;
  /** JSON string[]: those of delegated_permissions only an administrator may consent to */
  admin_consent_required: Generated<string>;
  admin_consent_granted_at: ColumnType<string | null, string | null | undefined, string | null>;
  visible_in_my_apps: Generated<Bool>;
  /** JSON string[]: the sign-in methods (amr) the app accepts; null accepts any */
  required_amr: ColumnType<string | null, string | null | undefined, string | null>;
  /** Graph's signInAudience (apps/audience.ts) */
  sign_in_audience: Generated<string>;
  /** JSON string[]: Graph's identifierUris (each also a row of app_identifier_uris) */
  identifier_uris: Generated<string>;
  /** JSON: Graph's api.oauth2PermissionScopes */
  api_scopes: Generated<string>;
  /** JSON: Graph's appRoles */
  app_roles: Generated<string>;
  /** JSON: Graph's requiredResourceAccess */
  required_resource_access: Generated<string>;
  /** 1: "Allow public client flows" (Graph's isFallbackPublicClient): no secret, and the device code grant */
  is_fallback_public_client: Generated<Bool>;
  /** set while the app registration is in deleted items (migration 0029) */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A multi-tenant app of another tenant as this tenant knows it (apps/service-principals.ts). */
/** apps/secrets.ts: an app's client secrets, Graph's passwordCredentials (migration 0052) */
export interface AppSecretsTable {
  tenant_id: string;
  app_id: string;
  key_id: string;
  /** SHA-256 of the secret, as the edge hashes a presented one */
  secret_hash: string;
  /** the secret's first three characters, as Entra shows them; null for a secret from before migration 0052 */
  hint: string | null;
  display_name: string | null;
  start_date_time: string;
  end_date_time: string | null;
}

export interface ServicePrincipalsTable {
  tenant_id: string;
  id: string;
  /** the app's client id */
  app_id: string;
  app_owner_tenant_id: string;
  created_at: string;
  admin_consent_granted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A user's own consent to an app of another tenant (apps/service-principals.ts). */
export interface AppUserConsentsTable {
  tenant_id: string;
  /** the app's client id */
  app_id: string;
  user_id: string;
  scope: string;
  created_at: string;
}

export interface AppIdentifierUrisTable {
  tenant_id: string;
  uri: string;
  app_id: string;
}

/** What an administrator granted a client app on a resource app (apps/api-exposure.ts). */
export interface AppPermissionGrantsTable {
  tenant_id: string;
  client_app_id: string;
  resource_app_id: string;
  /** Scope: a delegated scope for every user; Role: an application permission (app role) */
  kind: 'Scope' | 'Role';
  permission_id: string;
  created_at: string;
}

/** What an administrator granted a client app on Portico's own API: delegated Graph scopes (apps/graph-api.ts). */
export interface GraphPermissionGrantsTable {
  tenant_id: string;
  client_app_id: string;
  /** the Graph delegated scope's id (apps/graph-api.ts GRAPH_SCOPES) */
  permission_id: string;
  created_at: string;
}

export interface AppAssignmentsTable {
  tenant_id: string;
  app_id: string;
  principal_id: string;
  principal_type: 'User' | 'Group';
  created_at: string;
  /** the app role assigned (migration 0021); the default access role 00000000-0000-0000-0000-000000000000 */
  app_role_id: ColumnType<string, string | undefined, string>;
}

/** A user's own consent to delegated scopes of an API of the tenant (apps/user-grants.ts). */
export interface AppUserGrantsTable {
  tenant_id: string;
  id: string;
  client_app_id: string;
  resource_app_id: string;
  user_id: string;
  /** the scope values, space-separated */
  scope: string;
  created_at: string;
}

export interface OidcPayloadsTable {
  tenant_id: string;
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  /** epoch seconds, null for no expiry */
  expires_at: number | null;
  /** epoch seconds when consumed, 0 while unused */
  consumed: number;
  /** the user the artifact belongs to (session, grant, code, token), so revoking a user is one indexed delete */
  account_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TenantKeysTable {
  tenant_id: string;
  kid: string;
  /** private JWK as JSON */
  jwk: string;
  created_at: string;
  /** set when rotated out: kept for verification until removed */
  retired_at: string | null;
}

export interface OutboxTable {
  tenant_id: string;
  id: string;
  kind: string;
  /** JSON, in clear: the envelope { fromName?, to[], cc[], replyTo?, subject, remaining? } (before 0015 the whole message) */
  message: string;
  /** the body { text, html? } as JSON sealed with the deployment key (keyring.ts); null once delivered */
  body: ColumnType<string | null, string | null | undefined, string | null>;
  state: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** claims that expired before an outcome was recorded: each time the message went again (0014) */
  unknown_outcomes: ColumnType<number, number | undefined, number>;
}

export interface InvitationsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  invited_email: string;
  redirect_url: string;
  /** SHA-256 of the redeem ticket; null once the ticket is revoked or used */
  ticket_hash: string | null;
  ticket_expires_at: string | null;
  status: 'PendingAcceptance' | 'Completed' | 'InProgress' | 'Error';
  send_message: Bool;
  /** JSON: { customizedMessageBody?, ccRecipients?, messageLanguage } */
  message_info: string;
  /** JSON Actor */
  invited_by: string;
  created_at: string;
  revoked_at: string | null;
  redeemed_at: string | null;
  /** set once by the sweep when the ticket expired unredeemed (0011) */
  expired_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** when the expiry went into the tenant's daily summary (0011) */
  expiry_summarized_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Deployment-wide (the invitee's choice, not a tenant's): see migration 0011. */
export interface InvitationBlocksTable {
  /** HMAC of the normalized address */
  address_key: string;
  /** null: every organization on the deployment */
  tenant_id: string | null;
  created_at: string;
}

export interface UserSponsorsTable {
  tenant_id: string;
  user_id: string;
  sponsor_id: string;
  created_at: string;
}

export interface InvitationRemindersTable {
  tenant_id: string;
  invitation_id: string;
  days_before: number;
  outcome: 'sent' | 'blocked';
  created_at: string;
}

export interface ContactAddressesTable {
  tenant_id: string;
  /** normalized address */
  address: string;
  contact_id: string;
}

export interface PersonalAccountsTable {
  id: string;
  email: string;
  email_normalized: string;
  display_name: string;
  password_hash: string;
  email_verified_at: string | null;
  created_at: string;
  updated_at: string;
}

export type CodePurpose =
  'redeem-passcode' | 'address-proof' | 'personal-verify' | 'personal-reset' | 'invitation-optout';

export interface EmailCodesTable {
  /** tenant id, or 'personal' for the consumer realm */
  realm: string;
  id: string;
  purpose: CodePurpose;
  /** what the code is bound to: a redemption flow id or a personal account id */
  subject: string;
  email_normalized: string;
  code_hash: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
  created_at: string;
  client_ip: string | null;
}

export interface RedemptionFlowsTable {
  tenant_id: string;
  /** SHA-256 of the flow cookie's secret */
  id: string;
  invitation_id: string;
  user_id: string;
  /** JSON FlowState */
  state: string;
  created_at: string;
  expires_at: string;
  completed_at: string | null;
}

export interface AgreementsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  is_viewing_before_acceptance_required: Bool;
  /** re-accept every N days; null = once per version */
  reaccept_days: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** who must accept: allGuests, allUsers or groups (migration 0038) */
  applies_to: string;
  /** the groups' ids as a JSON array, when applies_to is groups */
  target_group_ids: string;
  /** whether users holding a directory role must accept too */
  include_administrators: Bool;
}

export interface AgreementFilesTable {
  tenant_id: string;
  agreement_id: string;
  version: number;
  language: string;
  file_name: string;
  content_type: string;
  data: string;
  is_default: Bool;
  created_at: string;
}

export interface AgreementAcceptancesTable {
  tenant_id: string;
  id: string;
  agreement_id: string;
  version: number;
  user_id: string;
  state: 'accepted' | 'declined';
  recorded_at: string;
}

export interface SessionsTable {
  tenant_id: string;
  /** SHA-256 of the cookie's secret */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** JSON string[]: how the person signed in (amr: pwd, otp, fed); null for sessions from before it was recorded */
  amr: ColumnType<string | null, string | null | undefined, string | null>;
  /** when the person last did multifactor authentication in this session (0031); null: never */
  mfa_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON MfaAmr[]: the amr values of that MFA's method ('otp', 'swk', 'hwk'; sessions/amr.ts) */
  mfa_method: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface IdentityProvidersTable {
  tenant_id: string;
  id: string;
  /** 'saml' | 'wsfed' | 'oidc' | 'google' */
  kind: string;
  display_name: string;
  /** JSON: the kind's public settings (federation/providers.ts) */
  config: string;
  /** the sealed OIDC client secret */
  secret: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdentityProviderDomainsTable {
  tenant_id: string;
  /** lower-case domain */
  domain: string;
  provider_id: string;
}

export interface FederationRequestsTable {
  tenant_id: string;
  /** hash of the state value sent upstream */
  id: string;
  provider_id: string;
  /** 'redeem' | 'signin' */
  purpose: string;
  /** the redemption flow id or the OIDC interaction uid that started it */
  binding: string;
  /** JSON: nonce, PKCE verifier, AuthnRequest id, where to return */
  data: string;
  /** JSON: the verified identity, once returned */
  result: string | null;
  created_at: string;
  expires_at: string;
  returned_at: string | null;
  consumed_at: string | null;
}

export interface SamlAssertionsSeenTable {
  tenant_id: string;
  issuer: string;
  assertion_id: string;
  expires_at: string;
}

export interface ExternalIdentitiesTable {
  tenant_id: string;
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
}

export interface SignInsTable {
  tenant_id: string;
  id: string;
  created_at: string;
  /** null when the name typed matched no user */
  user_id: string | null;
  /** as typed or as the user's; an unknown user's attempt keeps what was typed */
  user_principal_name: string;
  upn_normalized: string;
  user_display_name: string | null;
  user_type: 'Member' | 'Guest' | null;
  /** the app's client id */
  app_id: string | null;
  app_display_name: string | null;
  ip_address: string | null;
  client_app_used: string | null;
  /** an issuer (home tenant, IdP), or 'mail', 'personal', 'google.com' as on a user's identities */
  identity_provider: string;
  sign_in_method: 'password' | 'passcode' | 'federated' | 'session';
  result: 'success' | 'failure' | 'interrupted';
  /** Entra's AADSTS number; signins/signins.ts SIGNIN_ERRORS */
  error_code: number;
  failure_reason: string | null;
  correlation_id: string | null;
  /** the tenant the person belongs to (null: this one, or none known); 0025 */
  home_tenant_id: string | null;
  /** the tenant signed in to (null in older rows: this one) */
  resource_tenant_id: string | null;
  /** Graph's crossTenantAccessType; null in older rows (then from user_type) */
  cross_tenant_access_type: 'none' | 'b2bCollaboration' | null;
  /** Entra's authenticationDetails.authenticationMethod; null in older rows (then from sign_in_method) */
  authentication_method: string | null;
  is_interactive: Generated<Bool>;
  /** Graph's conditionalAccessStatus: 'success' | 'failure' | 'notApplied'; null in older rows (0033) */
  conditional_access_status: string | null;
  /** JSON: Graph's appliedConditionalAccessPolicies (conditional-access/decision.ts AppliedPolicy[]); 0033 */
  applied_ca_policies: string | null;
  /** JSON: the second factor of a sign-in that did MFA (signins/signins.ts SecondFactor); null otherwise (0039) */
  second_factor: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Graph's signInActivity of a user, kept by signins/signins.ts recordSignInAttempt (0025). */
export interface SignInActivityTable {
  tenant_id: string;
  user_id: string;
  last_sign_in_at: string;
  last_sign_in_id: string;
  last_successful_sign_in_at: string | null;
  last_successful_sign_in_id: string | null;
}

/** A tenant's Conditional Access policies (conditional-access/policies.ts; 0033). */
export interface ConditionalAccessPoliciesTable {
  tenant_id: string;
  id: string;
  display_name: string;
  /** 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced' */
  state: string;
  /** JSON: Graph's conditionalAccessConditionSet (users, applications) */
  conditions: string;
  /** JSON: Graph's conditionalAccessGrantControls */
  grant_controls: string;
  created_at: string;
  modified_at: string | null;
}

export interface CrossTenantPoliciesTable {
  tenant_id: string;
  /** 'default' or a partner tenant id */
  partner: string;
  /** JSON: Graph's crossTenantAccessPolicyConfiguration (crosstenant/policy.ts) */
  config: string;
  updated_at: string;
}

export interface BulkJobsTable {
  tenant_id: string;
  id: string;
  file_name: string;
  /** JSON: the Actor who uploaded it, the actor of every invitation */
  created_by: string;
  created_at: string;
  /** where guests land when a row has no redirect URL */
  default_redirect: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  /** the token of the runner working on it; its writes count only while this still matches */
  claim: string | null;
  claimed_until: string | null;
  finished_at: string | null;
  /** why a job failed as a whole */
  error: string | null;
}

export interface BulkJobRowsTable {
  tenant_id: string;
  job_id: string;
  /** the CSV line the row ends on */
  line: number;
  /** the cells as uploaded */
  email: string;
  redirect_url: string;
  send: string;
  message: string;
  /** null until invited: an InviteResult outcome or 'failed' */
  outcome: string | null;
  user_id: string | null;
  /** a refused row's en-US text */
  error: string | null;
  /** its refusal's message key and parameters (JSON), null on rows stored before migration 0028 */
  error_key: string | null;
  error_params: string | null;
}

/** A fixed-window attempt counter (http/rate-limit.ts); keys say what they count, e.g. `rate:pw-ip:<ip>`. */
export interface AttemptCountersTable {
  key: string;
  /** attempts counted in the current window */
  count: number;
  window_ends: string;
  /** attempts counted since the key was last cleared (a success), whatever the window */
  consecutive: number;
  updated_at: string;
}

/** A form's outcome page, read once by the browser holding its secret (migration 0036, pages/results.ts). */
export interface ResultPagesTable {
  id: string;
  secret_hash: string;
  /** the rendered page, sealed; null once shown */
  body: string | null;
  /** where the page's address leads once it was shown */
  back: string;
  expires_at: string;
  /** the page's HTTP status (null: 200) */
  status?: number | null;
  /** 1: shown again to the browser holding its cookie until it expires (a sign-in step's page without an error) */
  again?: number | null;
  /** 1: the page runs Portico's own script (http/headers.ts allowOwnScript) */
  own_script?: number | null;
}

/** A message the development mail catcher received (migration 0036, mail/caught.ts). */
export interface CaughtMailTable {
  /** sorts in arrival order */
  id: string;
  received_at: string;
  sender: string;
  /** JSON arrays of addresses */
  recipients: string;
  copies: string;
  subject: string;
  text: string;
  html: string | null;
}

/** A person's second factor (0031, owned by src/mfa/): one row per method, whatever its type. */
export interface AuthenticationMethodsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  /** mfa/methods.ts MethodType: 'softwareOath', 'fido2', ... */
  type: string;
  display_name: string;
  /** JSON: the type's data, its secrets sealed with the deployment key */
  data: string;
  /** the last value a use consumed (a TOTP time step, a WebAuthn signature counter); null before the first use */
  counter: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: string;
  last_used_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One-time recovery codes (0031, owned by src/mfa/recovery.ts). */
export interface RecoveryCodesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  /** HMAC of the code under the deployment key (keyring.ts macs) */
  code_mac: string;
  created_at: string;
  used_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Passkey ceremonies in progress (migration 0035, owned by mfa/webauthn-challenges.ts). */
export interface WebauthnChallengesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  purpose: string;
  bound_to: string;
  challenge: string;
  expires_at: string;
}

export interface Database {
  deployment: DeploymentTable;
  cache_epochs: CacheEpochsTable;
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  contacts: ContactsTable;
  audit_events: AuditEventsTable;
  apps: AppsTable;
  app_secrets: AppSecretsTable;
  app_assignments: AppAssignmentsTable;
  service_principals: ServicePrincipalsTable;
  app_user_consents: AppUserConsentsTable;
  app_identifier_uris: AppIdentifierUrisTable;
  app_permission_grants: AppPermissionGrantsTable;
  app_user_grants: AppUserGrantsTable;
  graph_permission_grants: GraphPermissionGrantsTable;
  oidc_payloads: OidcPayloadsTable;
  tenant_keys: TenantKeysTable;
  /** the personal accounts realm's (migration 0023): the same columns, tenant_id the consumers tenant id */
  consumer_oidc_payloads: OidcPayloadsTable;
  consumer_keys: TenantKeysTable;
  outbox: OutboxTable;
  invitations: InvitationsTable;
  contact_addresses: ContactAddressesTable;
  personal_accounts: PersonalAccountsTable;
  email_codes: EmailCodesTable;
  redemption_flows: RedemptionFlowsTable;
  agreements: AgreementsTable;
  agreement_files: AgreementFilesTable;
  agreement_acceptances: AgreementAcceptancesTable;
  sessions: SessionsTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_domains: IdentityProviderDomainsTable;
  federation_requests: FederationRequestsTable;
  saml_assertions_seen: SamlAssertionsSeenTable;
  external_identities: ExternalIdentitiesTable;
  cross_tenant_policies: CrossTenantPoliciesTable;
  sign_ins: SignInsTable;
  sign_in_activity: SignInActivityTable;
  bulk_jobs: BulkJobsTable;
  bulk_job_rows: BulkJobRowsTable;
  invitation_blocks: InvitationBlocksTable;
  user_sponsors: UserSponsorsTable;
  invitation_reminders: InvitationRemindersTable;
  attempt_counters: AttemptCountersTable;
  result_pages: ResultPagesTable;
  caught_mail: CaughtMailTable;
  authentication_methods: AuthenticationMethodsTable;
  recovery_codes: RecoveryCodesTable;
  conditional_access_policies: ConditionalAccessPoliciesTable;
  webauthn_challenges: WebauthnChallengesTable;
}
