// Every redirect URI registered by any app of a tenant: what a redemption's redirect URL may point at
// (redemption/redirect.ts). In its own file so the apps module's owner (apps.ts) keeps its table's writes.
import type { Tx } from '../store/index.ts';
import { parseJson } from '../store/json.ts';
import { liveApps } from './apps.ts';

export async function tenantRedirectUris(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await liveApps(tx).select('redirect_uris').where('tenant_id', '=', tenantId).execute();
  return rows.flatMap((r) => parseJson<string[]>(r.redirect_uris, []));
}
