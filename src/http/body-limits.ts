// How large a request body may be, per route, enforced by http/edge.ts before anything parses it.
//
// Every route accepts DEFAULT_BODY_LIMIT (1 MiB): the edge reads at most that much into memory and refuses more with
// 413, whether or not the body declares a Content-Length. A few upload routes need more; each has its own limiter,
// which runs after the route has checked who is signing in (so an anonymous client cannot make Portico read a large
// body) and answers with that route's own page or Graph error; the limiter (hono's bodyLimit) counts a chunked body as
// it streams. For those the edge reads nothing: it only refuses at once a body declared larger than twice the
// route's limit, the backstop for requests that never reach the route's own check.
import { MAX_TERMS_FILE_BYTES, UPLOAD_SLOTS } from '../consent/terms.ts';
import { MAX_METADATA_BYTES } from '../federation/inputs.ts';
import { BULK_MAX_BYTES } from '../invitations/bulk-jobs.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

interface UploadRoute {
  /** matched against the request path */
  path: RegExp;
  /** the route's own limit (its limiter answers bodies up to twice this) */
  routeLimit: number;
  why: string;
}

const MIB = 1024 * 1024;
const KIB = 1024;
const API = String.raw`^(?:/[^/]+)?/v1\.0`;

/** Each upload route's own limit, written once: its limiter (hono's bodyLimit) and the edge's backstop read it here. */
export const UPLOAD_LIMITS = {
  bulkCsv: BULK_MAX_BYTES + 64 * KIB,
  termsForm: UPLOAD_SLOTS * MAX_TERMS_FILE_BYTES + MIB,
  idpMetadata: 2 * MAX_METADATA_BYTES + 64 * KIB,
  graphTerms: 8 * MAX_TERMS_FILE_BYTES,
} as const;

const UPLOAD_ROUTES: readonly UploadRoute[] = [
  {
    path: /^\/admin\/[^/]+\/users\/bulk$/,
    routeLimit: UPLOAD_LIMITS.bulkCsv,
    why: 'admin center bulk invitation: a CSV of up to 5 MiB (src/admin/bulk.tsx)',
  },
  {
    path: /^\/admin\/[^/]+\/terms\/(?:new|[^/]+\/versions)$/,
    routeLimit: UPLOAD_LIMITS.termsForm,
    why: 'admin center terms of use: three files of up to 5 MB each (src/admin/terms.tsx)',
  },
  {
    path: /^\/admin\/[^/]+\/identities(?:\/|$)/,
    routeLimit: UPLOAD_LIMITS.idpMetadata,
    why: 'admin center identity providers: SAML metadata of up to 1 MiB, pasted and uploaded (src/admin/providers.tsx)',
  },
  {
    path: new RegExp(`${API}/identityGovernance/termsOfUse/agreements(?:/[^/]+/versions)?$`),
    routeLimit: UPLOAD_LIMITS.graphTerms,
    why: 'Graph terms of use: files of up to 5 MB, base64 in JSON (src/api/terms.ts)',
  },
];

/** The upload route a path belongs to, if any. */
export const uploadRoute = (path: string): UploadRoute | undefined => UPLOAD_ROUTES.find((r) => r.path.test(path));
