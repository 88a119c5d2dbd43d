// The CLI's client of the Graph-shaped API (remote mode): a client-credentials token from the tenant's own token
// endpoint, JSON requests with it, @odata.nextLink followed to the end, and Graph's error shape turned into one line
// and exit code 2, as a local refusal is.
import { decodeJwt } from 'jose';

import { cliLang } from './context.ts';
import type { RemoteProfile } from './profiles.ts';

/** A refusal the server sent (Graph's `{ error: { code, message } }`): printed as a local refusal is. */
export class RemoteRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

async function bodyOf(res: Response): Promise<Record<string, unknown> | null> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { error: { code: `HTTP ${res.status}`, message: text.slice(0, 200) } };
  }
}

/**
 * A client-credentials token of `clientId` at `tenant` (an id or a verified domain) of the deployment at `url`, and
 * the tenant id it was issued for. A refused client says so in one line (nothing about the secret).
 */
export async function clientToken(
  url: string,
  tenant: string,
  clientId: string,
  clientSecret: string,
): Promise<{ token: string; tenantId: string }> {
  const base = trimSlash(url);
  let res: Response;
  try {
    res = await fetch(`${base}/${encodeURIComponent(tenant)}/v2.0/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: `${base}/v1.0/.default` }),
    });
  } catch (error) {
    throw new RemoteRefusal(
      `cannot reach ${base}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`,
      'Unreachable',
      0,
    );
  }
  const body = (await bodyOf(res)) ?? {};
  const token = typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!res.ok || !token) {
    const code = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    const why =
      res.status === 404
        ? `${base} has no tenant '${tenant}'`
        : code === 'invalid_client'
          ? 'the client id or secret is wrong, or the app may not use client credentials'
          : typeof body.error_description === 'string'
            ? body.error_description
            : 'the token endpoint refused the request';
    throw new RemoteRefusal(`login to ${base} failed: ${why}`, code, res.status);
  }
  const tenantId = /\/([0-9a-f-]{36})\/v2\.0$/.exec(String(decodeJwt(token).iss ?? ''))?.[1];
  if (!tenantId) throw new RemoteRefusal(`${base} issued a token without a tenant`, 'BadToken', res.status);
  return { token, tenantId };
}

export type Remote = Awaited<ReturnType<typeof remoteClient>>;

/** Requests to the profile's deployment with a fresh token (one a command: commands are short). */
export async function remoteClient(profile: RemoteProfile) {
  const base = trimSlash(profile.url);
  const { token } = await clientToken(base, profile.tenantId, profile.clientId, profile.clientSecret);
  const lang = cliLang();
  async function request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const target = path.startsWith('http') ? path : `${base}/v1.0${path}`;
    // A nextLink must stay on the deployment: the token is never sent elsewhere.
    if (!target.startsWith(`${base}/`)) throw new RemoteRefusal(`refusing to follow ${target}`, 'BadNextLink', 0);
    const res = await fetch(target, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'accept-language': lang,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await bodyOf(res);
    if (!res.ok) {
      const error = (parsed?.error ?? {}) as { code?: string; message?: string };
      throw new RemoteRefusal(error.message ?? `HTTP ${res.status}`, error.code ?? `HTTP ${res.status}`, res.status);
    }
    return parsed as T;
  }
  /** Every page of a collection, `onPage` told of each (the first with its @odata.count when asked). */
  async function pages<T>(path: string, onPage?: (items: T[], count?: number) => void): Promise<T[]> {
    const items: T[] = [];
    for (let next: string | undefined = path; next !== undefined;) {
      const page: { value: T[]; '@odata.nextLink'?: string; '@odata.count'?: number } = await request('GET', next);
      items.push(...page.value);
      onPage?.(page.value, page['@odata.count']);
      next = page['@odata.nextLink'];
    }
    return items;
  }
  return { base, tenantId: profile.tenantId, request, pages };
}

/** A Graph object without its OData annotations (@odata.context, @odata.type): what the CLI prints of it. */
export const plain = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('@odata.'))) as T;
