// Deployment-wide values kept in the store so that every node shares them (cookie signing keys, for one).
import { newSecret } from '../secrets.ts';
import type { Db } from './index.ts';

/** Returns the secret stored under `key`, creating it once; safe when several nodes race at first start. */
export async function deploymentSecret(db: Db, key: string): Promise<string> {
  await db.insertInto('deployment').values({ key, value: newSecret(32) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('deployment').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
