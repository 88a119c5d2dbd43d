// Client secret rotation (Graph's addPassword / removePassword): an app holds several secrets, each works until it
// is removed or expires, the API shows them without their text, and every change is audited. Tokens are asked with
// openid-client, as an app would; expiry by the injected clock.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { assertGraphError, type GraphObject } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

interface Credential {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string | null;
  secretText: string | null;
}

suite('client secret rotation', { tenant: 'Contoso', clock: 'manual' }, ({ s, t, clock }) => {
  let app: GraphObject & { appId: string; passwordCredentials: Credential[] };
  const issuer = () => `${s.baseUrl}/${t.tenantId}/v2.0`;

  /** A client-credentials token for the Portico API with this secret: 'ok', or the OAuth error. */
  async function token(secret: string): Promise<string> {
    const config = await client.discovery(new URL(issuer()), app.appId, secret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    try {
      await client.clientCredentialsGrant(config, { scope: `${s.baseUrl}/v1.0/.default` });
      return 'ok';
    } catch (error) {
      return String((error as { error?: string }).error ?? error);
    }
  }

  before(async () => {
    const res = await t.api('POST', '/v1.0/applications', {
      displayName: 'Rotating',
      web: { redirectUris: ['https://rotating.example/callback'] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    app = res.body;
  });

  it('shows the first secret once, with its keyId, hint and two-year end', async () => {
    const [first] = app.passwordCredentials;
    assert.ok(first?.secretText && first.secretText.length >= 40, 'a long random secret');
    assert.equal(first.hint, first.secretText.slice(0, 3));
    assert.match(first.keyId, /^[0-9a-f-]{36}$/);
    const years = (Date.parse(first.endDateTime!) - Date.parse(first.startDateTime)) / (365 * 86_400_000);
    assert.ok(years > 1.99 && years < 2.01, `ends in two years (${years})`);
    const read = await t.api('GET', `/v1.0/applications/${app.id}`);
    assert.deepEqual(
      read.body.passwordCredentials.map((c: Credential) => [c.keyId, c.secretText, c.hint]),
      [[first.keyId, null, first.hint]],
      'read back without the secret',
    );
    assert.equal(await token(first.secretText), 'ok');
  });

  it('rotates: a second secret works beside the first, then the first is removed and refused', async () => {
    const first = app.passwordCredentials[0]!;
    const added = await t.api('POST', `/v1.0/applications/${app.id}/addPassword`, {
      passwordCredential: { displayName: 'rotation 2027' },
    });
    assert.equal(added.status, 200);
    const second = added.body as Credential;
    assert.equal(second.displayName, 'rotation 2027');
    assert.ok(second.secretText && second.secretText !== first.secretText);
    assert.equal(await token(second.secretText), 'ok', 'the new secret works at once');
    assert.equal(await token(first.secretText!), 'ok', 'and the old one still does');

    const removed = await t.api('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: first.keyId });
    assert.equal(removed.status, 204);
    assert.equal(await token(first.secretText!), 'invalid_client', 'the removed secret is refused at once');
    assert.equal(await token(second.secretText), 'ok');
    const read = await t.api('GET', `/v1.0/applications/${app.id}`);
    assert.deepEqual(
      read.body.passwordCredentials.map((c: Credential) => c.keyId),
      [second.keyId],
    );

    // Removing the last secret leaves an app no secret opens (it does not become a public client).
    assert.equal(
      (await t.api('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: second.keyId })).status,
      204,
    );
    assert.equal(await token(second.secretText), 'invalid_client');
    assert.equal(await token(''), 'invalid_client');
    const third = (await t.api('POST', `/v1.0/applications/${app.id}/addPassword`, {})).body as Credential;
    assert.equal(await token(third.secretText!), 'ok', 'a secret added afterwards works');
    app.passwordCredentials = [third];

    const audit = await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999');
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    const details = (audit.body.value as { additionalDetails: { key: string; value: string }[] }[]).flatMap((e) =>
      e.additionalDetails.map((d) => `${d.key}=${d.value}`),
    );
    for (const line of [`addedSecret=${second.keyId}`, `removedSecret=${first.keyId}`])
      assert.ok(details.includes(line), `audited: ${line}`);
  });

  it('refuses a secret past its endDateTime (the injected clock)', async () => {
    const end = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const short = (
      await t.api('POST', `/v1.0/applications/${app.id}/addPassword`, {
        passwordCredential: { endDateTime: end },
      })
    ).body as Credential;
    assert.equal(short.endDateTime, end);
    assert.equal(await token(short.secretText!), 'ok');
    clock.advance(3_600_000 + 1000);
    assert.equal(await token(short.secretText!), 'invalid_client', 'expired');
    assert.equal(await token(app.passwordCredentials[0]!.secretText!), 'ok', 'the two-year secret still works');
  });

  it('refuses bad input with 400/404 and changes nothing', async () => {
    const before = (await t.api('GET', `/v1.0/applications/${app.id}`)).body.passwordCredentials;
    const past = new Date(clock.now().getTime() - 1000).toISOString();
    assertGraphError(
      await t.api('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential: { endDateTime: past } }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(
      await t.api('POST', `/v1.0/applications/${app.id}/addPassword`, {
        passwordCredential: { endDateTime: 'next tuesday' },
      }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(await t.api('POST', `/v1.0/applications/${app.id}/removePassword`, {}), 400, 'Request_BadRequest');
    assertGraphError(
      await t.api('POST', `/v1.0/applications/${app.id}/removePassword`, {
        keyId: '00000000-0000-0000-0000-000000000000',
      }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await t.api('POST', '/v1.0/applications/00000000-0000-0000-0000-000000000000/addPassword', {}),
      404,
      'Request_ResourceNotFound',
    );
    assert.deepEqual((await t.api('GET', `/v1.0/applications/${app.id}`)).body.passwordCredentials, before);
  });

  it('a deleted app is refused at once, its secrets with it', async () => {
    const secret = app.passwordCredentials[0]!.secretText!;
    assert.equal(await token(secret), 'ok');
    assert.equal((await t.api('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
    assert.equal(await token(secret), 'invalid_client');
  });
});
