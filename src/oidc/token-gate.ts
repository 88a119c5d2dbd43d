// Conditional Access at the token endpoint (security review): a refresh token is a sign-in without the sign-in pages,
// so the tenant's policies are asked again each time one is redeemed, as Entra does. A policy in force that blocks the
// person at the app refuses it (AADSTS53003); one that requires MFA refuses a refresh token whose sign-in did no MFA
// (AADSTS50076, with Entra's suberror basic_action, which MSAL turns into an interactive sign-in). The refresh token is
// refused before the provider sees it, so it is not spent: once the person signs in with MFA, or the policy is gone,
// it works again. MFA is what the refresh token's sign-in recorded in its amr, whatever satisfied it: the MFA step, a
// session that had it, or MFA the guest's home did that the tenant trusts (inbound trust: the sign-in pages' login
// result, and oidc-provider's silent sign-in, oidc/app-gate.ts mfa_pending, put it in the session's amr, which the
// code and every refresh token after it carry). Trust alone is no MFA: a refresh token whose sign-in had none is
// refused, guest or not.
import type Provider from 'oidc-provider';

import { accessDecision } from '../conditional-access/decision.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { Services } from '../services.ts';
import { EntraError } from './resources.ts';

/** The refusal of a token request Conditional Access stops (with its Entra suberror), or undefined. */
export type TokenGate = (params: URLSearchParams) => Promise<{ error: EntraError; suberror?: string } | undefined>;

export function tokenGate(services: Services, tenant: Pick<Tenant, 'id'>, provider: Provider): TokenGate {
  return async (params) => {
    if (params.get('grant_type') !== 'refresh_token') return undefined;
    const value = params.get('refresh_token');
    if (!value || value.length > 512) return undefined;
    const token = await provider.RefreshToken.find(value);
    // Not the caller's, unknown or spent: the provider refuses it as it always does.
    if (!token?.accountId || token.clientId !== params.get('client_id')) return undefined;
    const decision = await accessDecision(services, {
      tenant,
      userId: token.accountId,
      clientId: token.clientId,
    });
    if (decision.block)
      return {
        error: new EntraError(
          'invalid_grant',
          53003,
          'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
        ),
      };
    if (decision.mfaRequired && !(token.amr ?? []).includes('mfa'))
      return {
        error: new EntraError(
          'invalid_grant',
          50076,
          'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this application.',
        ),
        suberror: 'basic_action',
      };
    return undefined;
  };
}
