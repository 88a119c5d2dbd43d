// Where an admin-center sign-in may return to: an admin page of a tenant (domain names included), nothing else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ADMIN_PATH } from '../../src/admin/guard.tsx';

const id = 'f6c7fdf2-dd22-4643-99ea-3306945ab684';

describe('ADMIN_PATH', () => {
  it('takes admin pages, including a domain page', () => {
    for (const p of [`/admin/${id}`, `/admin/${id}/users`, `/admin/${id}/domains/contoso.example`])
      assert.ok(ADMIN_PATH.test(p), p);
  });
  it('refuses other places, dot segments and other hosts', () => {
    for (const p of [
      `/admin/${id}/..`,
      `/admin/${id}/../../myapps`,
      `/admin/${id}/a/.`,
      `//evil.example/admin/${id}`,
      `https://evil.example/admin/${id}`,
      `/admin/${id}//evil.example`,
      '/myapps',
    ])
      assert.ok(!ADMIN_PATH.test(p), p);
  });
});
