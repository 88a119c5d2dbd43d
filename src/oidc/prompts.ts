// Entra's prompts on top of oidc-provider's policy. `login`, `consent` and `none` are OpenID Connect's and the
// provider's own (`none` answers login_required / interaction_required when a page would be needed); Entra adds
// `select_account`: the sign-in pages list the people signed in in this browser who may sign in here, with "use
// another account" (interactions/routes.tsx), before anything else.
import { interactionPolicy } from 'oidc-provider';

export const SELECT_ACCOUNT = 'select_account';

/** `policy` with a requestable `select_account` prompt first: asked for by prompt=select_account, resolved by the page. */
export function withEntraPrompts(policy: interactionPolicy.DefaultPolicy): interactionPolicy.DefaultPolicy {
  policy.add(new interactionPolicy.Prompt({ name: SELECT_ACCOUNT, requestable: true }), 0);
  return policy;
}
