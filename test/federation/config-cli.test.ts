// `portico idp list|add-saml|add-google|add-oidc|remove`, spawned as a process against the store a running server
// uses: what the CLI adds the API serves, secrets come from the environment only, and refusals exit non-zero.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';

import { clientSecretOf, getProvider, listProviders } from '../../src/federation/providers.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const FED = '/v1.0/directory/federationConfigurations';
const CERT_FILE = new URL('../fixtures/saml/idp-cert.pem', import.meta.url).pathname;
const CERT = readFileSync(CERT_FILE, 'utf8')
  .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
  .replace(/\s+/g, '');

const METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="urn:idp:fabrikam">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.fabrikam.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

suite('portico idp CLI', { tenant: 'Contoso' }, ({ s, t }) => {
  let env: Record<string, string>;
  let dir: string;
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const providers = () => listProviders(s.portico.services.store.db, t.tenantId);
  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
    dir = mkdtempSync(join(tmpdir(), 'portico-idp-'));
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('add-saml with a metadata file creates a federation the API serves, audited as the CLI', async () => {
    const ran = await runCli(
      [
        'idp',
        'add-saml',
        '--tenant',
        t.domain,
        '--name',
        'Fabrikam',
        '--metadata-file',
        file('idp.xml', METADATA),
        '--domain',
        'fabrikam.example',
        '--domain',
        'Fabrikam.Test',
        '--json',
      ],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout);
    assert.deepEqual(
      [out.tenantId, out.kind, out.displayName, out.issuerUri, out.passiveSignInUri, out.domains],
      [
        t.tenantId,
        'saml',
        'Fabrikam',
        'urn:idp:fabrikam',
        'https://idp.fabrikam.example/sso',
        ['fabrikam.example', 'fabrikam.test'],
      ],
    );
    const api = (await t.api('GET', `${FED}/${out.id}`)).body;
    assert.deepEqual([api.signingCertificate, api.preferredAuthenticationProtocol], [CERT, 'saml']);
    const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
      activityDisplayName: string;
      initiatedBy: { app?: { displayName?: string } };
      targetResources: { id: string }[];
    }[];
    assert.ok(
      audit.some(
        (e) =>
          e.activityDisplayName === 'Add identity provider' &&
          e.targetResources[0]?.id === out.id &&
          e.initiatedBy.app?.displayName === 'Portico CLI',
      ),
    );

    const wsfed = await runCli(
      [
        'idp',
        'add-saml',
        '--tenant',
        t.tenantId,
        '--issuer',
        'urn:idp:northwind',
        '--sign-in-url',
        'https://sts.northwind.example/adfs/ls/',
        '--certificate-file',
        CERT_FILE,
        '--domain',
        'northwind.example',
        '--wsfed',
      ],
      env,
    );
    assert.equal(wsfed.code, 0, wsfed.stderr);
    assert.match(
      wsfed.stdout,
      /^Added WS-Federation identity provider "WS-Federation identity provider" \([0-9a-f-]{36}\) to Contoso, for northwind\.example\.\n$/,
    );
  });

  it('add-google takes the secret from the environment only; add-oidc; list shows them', async () => {
    const help = await runCli(['idp', 'add-google', '--help'], env);
    assert.match(
      help.stdout.replace(/\s+/g, ' '),
      /never the secret itself: command-line arguments are visible to other local users in ps and stay in shell history/,
    );
    const google = await runCli(
      [
        'idp',
        'add-google',
        '--tenant',
        t.domain,
        '--client-id',
        'google-client',
        '--client-secret-env',
        'GOOGLE_SECRET',
        '--json',
      ],
      { ...env, GOOGLE_SECRET: 'secret-from-env' },
    );
    assert.equal(google.code, 0, google.stderr);
    const g = JSON.parse(google.stdout);
    assert.ok(!google.stdout.includes('secret-from-env'));
    assert.deepEqual(
      [g.kind, g.clientId, g.domains, g.hasClientSecret],
      ['google', 'google-client', ['gmail.com', 'googlemail.com'], true],
    );
    const { db } = s.portico.services.store;
    assert.equal(await clientSecretOf(db, (await getProvider(db, t.tenantId, g.id))!), 'secret-from-env');

    const oidc = await runCli(
      [
        'idp',
        'add-oidc',
        '--tenant',
        t.domain,
        '--name',
        'Partner',
        '--issuer',
        'https://login.partner.example',
        '--client-id',
        'portico',
        '--client-secret-env',
        'PARTNER_SECRET',
        '--domain',
        'partner.example',
      ],
      { ...env, PARTNER_SECRET: 'partner-secret' },
    );
    assert.equal(oidc.code, 0, oidc.stderr);
    assert.match(oidc.stdout, /Added OpenID Connect identity provider "Partner"/);

    const list = await runCli(['idp', 'list', '--tenant', t.domain, '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { id: string; kind: string }[];
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['saml', 'wsfed', 'google', 'oidc'],
    );
    assert.ok(!list.stdout.includes('secret-from-env') && !list.stdout.includes('partner-secret'));
    const human = await runCli(['idp', 'list', '--tenant', t.domain], env);
    assert.match(human.stdout, new RegExp(`${g.id} {2}google {2}Google {2}\\(gmail\\.com, googlemail\\.com\\)`));
    assert.match(human.stdout, /saml {2}Fabrikam {2}\(fabrikam\.example, fabrikam\.test\)/);
  });

  it('remove deletes a provider', async () => {
    const google = (await providers()).find((p) => p.kind === 'google')!;
    const ran = await runCli(['idp', 'remove', '--tenant', t.domain, google.id], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(
      ran.stdout,
      new RegExp(`Removed Google identity provider "Google" \\(${google.id}\\) from Contoso\\.`),
    );
    assert.ok(!(await providers()).some((p) => p.id === google.id));
  });

  it('fails with a clear message and a non-zero exit, changing nothing', async () => {
    const before = JSON.stringify(await providers());
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [
        [
          'idp',
          'add-saml',
          '--tenant',
          t.domain,
          '--metadata-file',
          file('again.xml', METADATA),
          '--domain',
          'fabrikam.example',
        ],
        /fabrikam\.example is already served by the identity provider 'Fabrikam'.*Request_MultipleObjectsWithSameKeyValue/,
      ],
      [
        [
          'idp',
          'add-oidc',
          '--tenant',
          t.domain,
          '--name',
          'X',
          '--issuer',
          'https://x.example',
          '--client-id',
          'x',
          '--client-secret-env',
          'X_SECRET',
          '--domain',
          'partner.example',
        ],
        /partner\.example is already served/,
        { X_SECRET: 'x' },
      ],
      [
        ['idp', 'add-google', '--tenant', t.domain, '--client-id', 'x', '--client-secret-env', 'UNSET_SECRET_VAR'],
        /UNSET_SECRET_VAR is not set/,
      ],
      [
        [
          'idp',
          'add-saml',
          '--tenant',
          t.domain,
          '--metadata-file',
          file('bad.xml', '<html>'),
          '--domain',
          'x.example',
        ],
        /not usable SAML 2\.0 identity provider metadata/,
      ],
      [
        ['idp', 'add-saml', '--tenant', t.domain, '--metadata-file', join(dir, 'missing.xml'), '--domain', 'x.example'],
        /Cannot read the metadata file/,
      ],
      [
        ['idp', 'add-saml', '--tenant', t.domain, '--issuer', 'urn:x', '--domain', 'x.example'],
        /--metadata-file <path>, --metadata-url <url>, or --issuer <uri> with --sign-in-url/,
      ],
      [
        [
          'idp',
          'add-saml',
          '--tenant',
          t.domain,
          '--metadata-url',
          'http://idp.x.example/metadata',
          '--domain',
          'x.example',
        ],
        /must be an https URL/,
      ],
      [
        ['idp', 'add-saml', '--tenant', t.domain, '--metadata-file', file('ok.xml', METADATA)],
        /required option '--domain <domain>'/,
      ],
      [['idp', 'list', '--tenant', 'nowhere.example'], /No tenant matches 'nowhere\.example'/],
      [['idp', 'remove', '--tenant', t.domain, '00000000-0000-4000-8000-000000000000'], /has no identity provider/],
    ];
    for (const [args, message, extra] of cases) {
      const ran = await runCli(args, { ...env, ...extra });
      assert.notEqual(ran.code, 0, args.join(' '));
      assert.match(ran.stderr, message, args.join(' '));
    }
    assert.equal(JSON.stringify(await providers()), before);
  });
});
