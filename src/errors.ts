// One class per stable error code, as oidc-provider does. A refusal names its text by a message key and its
// parameters (`new ResourceNotFound('resource.notFound', { id })`); the texts live in the i18n catalogs
// (`i18n/refusals.<lang>.ts`, keys `refusal.<key>`). `message` is the en-US text, which the API sends in Graph's
// `{ "error": { "code", "message" } }`; `http/errors.tsx` (pages) and `cli/context.ts` (the CLI) show `text(lang)`.
import { t, type Lang, type Messages } from './i18n/index.ts';

/** A refusal's message key: a key of the refusal catalogs without its `refusal.` prefix. */
export type RefusalKey = keyof Messages extends infer K ? (K extends `refusal.${infer R}` ? R : never) : never;
/** A refusal's parameters, each shown as a template literal would show it. */
export type RefusalParams = Record<string, string | number | boolean | null | undefined>;

/** The text of a refusal in `lang`. */
export function refusalText(lang: Lang, key: RefusalKey, params: RefusalParams = {}): string {
  return t(lang, `refusal.${key}`, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
}

export abstract class PorticoError extends Error {
  abstract readonly code: string;
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;
  constructor(
    readonly key: RefusalKey,
    readonly params: RefusalParams = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(refusalText('en-US', key, params));
    this.name = new.target.name;
  }

  /** What the refusal says in a reader's language (pages, the CLI); the API sends `message`, the en-US text. */
  text(lang: Lang): string {
    return refusalText(lang, this.key, this.params);
  }
}

type Status = PorticoError['status'];

/**
 * The base of one code's class: `class X extends refusal('Code', 400) {}` keeps one named class per code (its
 * `name`, `instanceof`) with the code and status as literal types.
 */
function refusal<const C extends string, const S extends Status>(code: C, status: S) {
  abstract class Coded extends PorticoError {
    readonly code = code;
    readonly status = status;
  }
  return Coded;
}

/** Malformed body or a request the API cannot parse at all. */
export class BadRequest extends refusal('BadRequest', 400) {}

/** Well-formed request with invalid values (unknown property, bad address, missing field). */
export class InvalidRequest extends refusal('Request_BadRequest', 400) {}

/**
 * POST /domains/{id}/verify found no matching TXT record. Graph answers this with its generic 400 Request_BadRequest,
 * so this is that code's class, specialised: `details.reason` ('missing' | 'mismatch') tells pages what to say.
 */
export class DomainVerificationFailed extends InvalidRequest {}

/** An OData query option ($filter, $select, $top, ...) the API does not support. */
export class UnsupportedQuery extends refusal('Request_UnsupportedQuery', 400) {}

export class ResourceNotFound extends refusal('Request_ResourceNotFound', 404) {}

/** `get`, refusing with `resource.notFound` (naming the id asked for) where it finds nothing: a `requireX` of `getX`. */
export const orNotFound =
  <D, T>(get: (db: D, tenantId: string, id: string) => Promise<T | undefined>) =>
  async (db: D, tenantId: string, id: string): Promise<T> => {
    const found = await get(db, tenantId, id);
    if (!found) throw new ResourceNotFound('resource.notFound', { id });
    return found;
  };

/** A unique property (UPN, mail, domain, client id) already used by another object. */
export class ObjectConflict extends refusal('Request_MultipleObjectsWithSameKeyValue', 400) {}

export class InvalidAuthenticationToken extends refusal('InvalidAuthenticationToken', 401) {}

export class AuthorizationDenied extends refusal('Authorization_RequestDenied', 403) {}

/**
 * The invitee asked not to be invited (by this organization or by any on the deployment): Entra's "block future
 * invitations" has no Graph code, so this is Portico's own. `details.scope` is 'tenant' or 'deployment'.
 */
export class InviteeOptedOut extends refusal('Request_InviteeOptedOut', 403) {}

export class TooManyRequests extends refusal('TooManyRequests', 429) {}

export class UnsupportedMediaType extends refusal('UnsupportedMediaType', 415) {}

/** A request body larger than its route accepts, refused before it is read (http/edge.ts). */
export class PayloadTooLarge extends refusal('Request_EntityTooLarge', 413) {}

export class ServiceUnavailable extends refusal('ServiceUnavailable', 503) {}
