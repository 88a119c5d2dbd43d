// The edge between HTTP and oidc-provider for endpoints that authenticate clients. Client secrets are stored as
// SHA-256 (apps/apps.ts); here the presented secret is replaced by its hash before the provider compares it, in
// constant time, with the stored value. Basic credentials are moved into the body so every client is registered
// with one method (client_secret_post) yet may use either. `scope=<api>/.default` (Entra's form for client
// credentials) becomes `resource=<api>`.
import { hashSecret } from '../secrets.ts';
import { DEVICE_CODE_GRANT } from './device-flow.ts';

export const CLIENT_AUTH_ENDPOINTS = ['/token', '/token/introspection', '/token/revocation'];

export interface RewrittenRequest {
  /** the body's parameters, rewritten */
  params: URLSearchParams;
  /** the Authorization header to keep (undefined when Basic credentials were moved into the body) */
  authorization: string | undefined;
}

export function rewriteClientAuth(
  body: string,
  authorization: string | undefined,
  apiAudience: string,
): RewrittenRequest {
  const params = new URLSearchParams(body);
  let keepAuthorization = authorization;
  const basic = authorization && /^Basic\s+(.+)$/i.exec(authorization.trim());
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0 && !params.has('client_secret')) {
      params.set('client_id', safeDecode(decoded.slice(0, colon)));
      params.set('client_secret', safeDecode(decoded.slice(colon + 1)));
      keepAuthorization = undefined;
    }
  }
  const secret = params.get('client_secret');
  if (secret !== null) params.set('client_secret', hashSecret(secret));

  // MSAL polls with Entra's short form of the device code grant type.
  if (params.get('grant_type') === 'device_code') params.set('grant_type', DEVICE_CODE_GRANT);

  const scope = params.get('scope');
  if (params.get('grant_type') === 'client_credentials' && scope && scope.trim() === `${apiAudience}/.default`) {
    params.delete('scope');
    if (!params.has('resource')) params.set('resource', apiAudience);
  }
  return { params, authorization: keepAuthorization };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
