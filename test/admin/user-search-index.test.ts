// The users list's substring search on both stores: through SQLite's trigram index (migration 0043) and through LIKE
// (shorter texts, and PostgreSQL), the same users for the same text, and those are the users whose name, mail or user
// name holds the text, folded as the search folds it (texts with %, _, quotes, a backslash, and other alphabets; not
// the dotted capital I, which PostgreSQL's lower() folds to i and SQLite's index keeps, as foldText does). A
// change of a user's name and a user's removal reach the index (its triggers), read back from the index itself.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';

import { searchUsers, type UserSearch } from '../../src/directory/user-search.ts';
import { foldText } from '../../src/store/json.ts';
import { newUserBody } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const NAMES = [
  '100% Sales',
  'under_score Team',
  `O'Brien "Bob"`,
  'Back\\slash Desk',
  'Ärger Müller',
  'ΣΟΦΙΑ Παπαδοπούλου',
  'Москва Office',
  '東京 Tanaka',
  'Straße Weiß',
  'plain person',
];
const TEXTS = [
  '%',
  '0% s',
  '100%',
  '_',
  'r_s',
  'e_s',
  "o'b",
  `"bob"`,
  `'`,
  '\\',
  'k\\s',
  'ärg',
  'ÄRG',
  'Ä',
  'MÜLL',
  'σοφ',
  'ΣΟΦ',
  'παπ',
  'моск',
  'МОСКВА OFF',
  '東京',
  '東',
  'STRASSE',
  'straße',
  'weiß',
  'contoso',
  'partner.ex',
  '@',
  'x',
  'zzz nothing',
];

suite(
  'users list search: trigram index and LIKE agree',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t, kind }) => {
    const db = () => s.portico.services.store.db;
    const search = (q: string): UserSearch => ({ q, type: '', state: '', source: '', sort: 'name', dir: 'asc' });
    const ids = async (q: string, by?: 'index' | 'like') => {
      const found = await searchUsers(db(), t.tenantId, search(q), { offset: 0, limit: 500, by });
      assert.equal(found.total, found.items.length, `the count of ${JSON.stringify(q)} is its rows'`);
      return found.items.map((u) => u.id).sort();
    };
    /** The users whose name, mail or user name holds `q`, found by reading every user (no search). */
    const expected = async (q: string) => {
      const all = await searchUsers(db(), t.tenantId, search(''), { offset: 0, limit: 500 });
      const text = foldText(q.trim());
      return all.items
        .filter((u) => [u.displayName, u.mail ?? '', u.userPrincipalName].some((v) => foldText(v).includes(text)))
        .map((u) => u.id)
        .sort();
    };
    /** How many users the trigram index itself holds `q` for (SQLite only: PostgreSQL has no such table). */
    const inIndex = async (q: string) =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*) as n from users_search where users_search match ${`"${q.replace(/"/g, '""')}"`}`.execute(
            db(),
          )
        ).rows[0]!.n,
      );

    it('finds the same users through the index and through LIKE, and those are the right ones', async () => {
      for (const [i, name] of NAMES.entries()) {
        const created = await t.api(
          'POST',
          '/v1.0/users',
          newUserBody(`user${i}@contoso.example`, name, { mail: `u${i}_x@partner${i % 3}.example` }),
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      for (const text of TEXTS) {
        const want = await expected(text);
        assert.deepEqual(await ids(text, 'index'), want, `index: ${JSON.stringify(text)}`);
        assert.deepEqual(await ids(text, 'like'), want, `like: ${JSON.stringify(text)}`);
        assert.deepEqual(await ids(text), want, `default: ${JSON.stringify(text)}`);
      }
      // Not a search that finds nothing: these find what they should.
      assert.equal((await ids('ärg')).length, 1);
      assert.equal((await ids('ΣΟΦ')).length, 1);
      assert.equal((await ids('100%')).length, 1);
      assert.equal((await ids('%')).length, 1, 'a % is itself, not any text');
      assert.equal((await ids('e_s')).length, 0, 'an _ is itself, not any character ("plain person" has "ers")');
      assert.equal((await ids('r_s')).length, 1);
      assert.equal((await ids('partner1.example')).length, 3);
    });

    it('follows a renamed user and a user removed for good', async () => {
      const created = await t.api('POST', '/v1.0/users', newUserBody('zed@contoso.example', 'Zebra Crossing'));
      assert.equal(created.status, 201);
      const id = created.body.id as string;
      assert.deepEqual(await ids('zebra'), [id]);
      const renamed = await t.api('PATCH', `/v1.0/users/${id}`, { displayName: 'Yak Shaving' });
      assert.equal(renamed.status, 204);
      assert.deepEqual(await ids('zebra', 'index'), []);
      assert.deepEqual(await ids('yak sh', 'index'), [id]);
      assert.deepEqual(await ids('ZED@', 'index'), [id], 'the user name stays in the index');
      if (kind === 'sqlite') {
        assert.equal(await inIndex('zebra'), 0, 'the old name left the index');
        assert.equal(await inIndex('yak shaving'), 1);
      }
      assert.equal((await t.api('DELETE', `/v1.0/users/${id}`)).status, 204);
      assert.deepEqual(await ids('yak sh', 'index'), [], 'a deleted user is not listed');
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${id}`)).status, 204);
      assert.deepEqual(await ids('yak sh', 'index'), []);
      if (kind === 'sqlite') {
        assert.equal(await inIndex('yak shaving'), 0, 'a user removed for good left the index');
        const keys = await sql<{
          n: number;
        }>`select count(*) as n from users_search_keys where id = ${id}`.execute(db());
        assert.equal(Number(keys.rows[0]!.n), 0);
      }
    });
  },
);
