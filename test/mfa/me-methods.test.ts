// The signed-in user's own methods through Graph (/me/authentication, security review): a delegated token proves
// only the first factor (a password signs in to any app no MFA policy covers), so it must not remove a second factor,
// or a password thief would delete the person's authenticator app through /me and then, at the next sign-in a policy
// requires MFA for, register one of their own as a person "without methods". Removing one's own methods is Security
// info's (which asks for the method first); through Graph it needs UserAuthenticationMethod.ReadWrite.All, as for
// anyone's.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Secret, TOTP } from 'otpauth';

import { assertGraphError, newUserBody, type GraphObject } from '../helpers/api.ts';
import { appClient, reach, userToken } from '../helpers/app-client.ts';
import { apiClient } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

suite('Own methods through /me', { clock: 'manual', tenant: 'Contoso', runWorker: false }, ({ s, t, clock }) => {
  it('a token from a password-only sign-in cannot delete the authenticator app an MFA policy relies on', async () => {
    const upn = `dee@${t.domain}`;
    const dee = (await t.api('POST', '/v1.0/users', newUserBody(upn, 'Dee'))).body as GraphObject;
    // Dee adds an authenticator app in Security info (no method yet: her password is enough).
    const jar = new CookieJar();
    const first = await follow(jar, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, s.baseUrl);
    const pw = await postForm(jar, new URL(formAction(await first.res!.text(), '/identifier'), s.baseUrl).toString(), {
      login: upn,
    });
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: upn,
      password: PASSWORD,
    });
    await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const add = await (await request(jar, `${s.baseUrl}/myapps/security-info/add?tenantid=${t.tenantId}`)).text();
    const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(add)![1]!.replace(/ /g, '');
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
    const added = await postForm(jar, new URL(formAction(add, '/register/code'), s.baseUrl).toString(), {
      csrf: field(add, 'csrf'),
      pending: field(add, 'pending'),
      code,
    });
    assert.equal(added.status, 303);
    const methods = `/v1.0/users/${dee.id}/authentication/softwareOathMethods`;
    const [method] = (await t.api('GET', methods)).body.value as GraphObject[];
    assert.ok(method);

    // Payroll requires MFA; the directory tool does not, so the password alone gets a token for /me there.
    const payroll = await appClient(s, t.tenantId, 'Payroll');
    const policy = await t.api('POST', '/v1.0/identity/conditionalAccess/policies', {
      displayName: 'MFA for Payroll',
      state: 'enabled',
      conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: [payroll.app.clientId] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const thief = apiClient(s.baseUrl, await userToken(s, t.tenantId, upn, PASSWORD));
    assert.equal((await thief('GET', '/v1.0/me/authentication/methods')).status, 200, 'reading is allowed');
    assertGraphError(
      await thief('DELETE', `/v1.0/me/authentication/softwareOathMethods/${method.id}`),
      403,
      'Authorization_RequestDenied',
    );
    assert.equal((await t.api('GET', methods)).body.value.length, 1, 'the method is still there');

    // So Payroll's sign-in asks for the app's code, not for a new method of the thief's choosing.
    const browser = new CookieJar();
    const page = await reach(s, browser, (await payroll.start()).url);
    const id = await postForm(browser, new URL(formAction(page.page, '/identifier'), s.baseUrl).toString(), {
      login: upn,
    });
    const mfa = await postForm(browser, new URL(formAction(await id.text(), '/password'), s.baseUrl).toString(), {
      login: upn,
      password: PASSWORD,
    });
    const asked = await mfa.text();
    assert.match(asked, /Enter code/);
    assert.doesNotMatch(asked, /More information required/);
  });
});
