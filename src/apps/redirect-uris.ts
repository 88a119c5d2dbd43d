// Every redirect URI registered by any app of a tenant: what a redemption's redirect URL may point at
// (redemption/redirect.ts). In its own file so the apps module's owner (apps.ts) keeps its table's writes.
import type { Tx } from '../store/index.ts';
import { parseJson } from '../store/json.ts';

export async function tenantRedirectUris(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.selectFrom('apps').select('redirect_uris').where('tenant_id', '=', tenantId).execute();
  return rows.flatMap((r) => parseJson<string[]>(r.redirect_uris, []));
}

/**
 * The client id of the one app of the tenant with a redirect URI at the origin of `url` (an invitation's redirect: the
 * app a redemption is for, which Conditional Access evaluates by); undefined when none or several apps are there.
 */
export async function appAtRedirect(tx: Tx, tenantId: string, url: string): Promise<string | undefined> {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  const rows = await tx
    .selectFrom('apps')
    .select(['client_id', 'redirect_uris'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const at = rows.filter((r) =>
    parseJson<string[]>(r.redirect_uris, []).some((u) => URL.canParse(u) && new URL(u).origin === origin),
  );
  return at.length === 1 ? at[0]!.client_id : undefined;
}
