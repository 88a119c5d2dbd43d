// How oidc-provider's artifacts are keyed in oidc_payloads and consumer_oidc_payloads (issue #22, secrets at rest).
// An artifact's id is its own value: an authorization code, a refresh token, an opaque access token, a device code,
// the `_session` cookie, an interaction's id (its cookie and its URL). The store keeps the SHA-256 of it instead, so a
// copy of the database holds no usable token or session. A plain hash is enough: these values are random, 256 bits
// for tokens and codes (formats.bitsOfOpaqueRandomness) and 126 for the nanoid()s of sessions, interactions and pushed
// requests, so no value can be found from its hash by trying candidates.
import { hashSecret } from '../secrets.ts';

/**
 * Models whose id is kept as is. A grant's id is no bearer value (only the provider, holding a session or a token,
 * finds a grant), and every token's row names it in clear in `grant_id`, which revokeByGrantId and
 * sessions/revoke.ts revokeClient match against the grant's own row.
 */
const KEPT = new Set(['Grant']);

/** The row id of the artifact `value` of `model`. */
export const artifactId = (model: string, value: string): string => (KEPT.has(model) ? value : hashSecret(value));
