// Graph's signInAudience: whose accounts may sign in to an app. An app is its own tenant's (AzureADMyOrg, the
// default) unless registered as multi-tenant: then members of every tenant of this deployment may use it, each tenant
// knowing it as a service principal created by its first consent (apps/service-principals.ts); with personal accounts
// also, the deployment's personal accounts realm (Entra's Microsoft accounts).

export const SIGN_IN_AUDIENCES = [
  'AzureADMyOrg',
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
] as const;

export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

export const isSignInAudience = (value: string): value is SignInAudience =>
  (SIGN_IN_AUDIENCES as readonly string[]).includes(value);

/** The stored value, or the default for a value this version does not know. */
export const audienceOf = (value: string | null | undefined): SignInAudience =>
  value && isSignInAudience(value) ? value : 'AzureADMyOrg';

/** Accounts of tenants other than the app's own may sign in. */
export const allowsOtherTenants = (a: SignInAudience): boolean =>
  a === 'AzureADMultipleOrgs' || a === 'AzureADandPersonalMicrosoftAccount';

/** Accounts of organizations (the app's own tenant at least) may sign in. */
export const allowsOrganizations = (a: SignInAudience): boolean => a !== 'PersonalMicrosoftAccount';

/** Personal accounts may sign in. */
export const allowsPersonal = (a: SignInAudience): boolean =>
  a === 'AzureADandPersonalMicrosoftAccount' || a === 'PersonalMicrosoftAccount';
