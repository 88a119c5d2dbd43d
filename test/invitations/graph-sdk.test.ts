// The official Microsoft Graph JS SDK (@microsoft/microsoft-graph-client v3) as a real client of Portico, on both
// stores: invitations, paging users with $filter/$select/$top by following @odata.nextLink (by hand and with the
// SDK's PageIterator), $count, and Graph errors surfacing as the SDK's GraphError.
//
// The SDK only speaks https: its URL parser recognises an absolute URL (such as @odata.nextLink) only when it starts
// with `https://`, and its AuthenticationHandler attaches the bearer token only to https URLs whose hostname (the port
// is cut off) is a Graph host or in `customHosts`; to any other URL it sends no Authorization header. So Portico runs
// here as it is deployed, with an https public base URL served by a TLS-terminating proxy (test/helpers/tls.ts). The
// SDK's last middleware, HTTPMessageHandler, calls Node's global fetch, which cannot be told to trust the test
// certificate; it is replaced by one that does the same over the kit's `tlsFetch`, recording each URL. Everything
// else is the SDK's default middleware chain.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  Client,
  GraphError,
  MiddlewareFactory,
  PageIterator,
  type AuthenticationProvider,
  type Context,
  type Middleware,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';

import { appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { tlsFetch, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

const GUESTS = 30;
const PAGE = 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The SDK's HTTPMessageHandler over TLS that trusts the test certificate: the request, as the SDK made it, to the proxy. */
class TlsMessageHandler implements Middleware {
  /** every URL the SDK requested, as it requested it */
  readonly requested: string[] = [];

  async execute(context: Context): Promise<void> {
    assert.equal(typeof context.request, 'string', 'the SDK passes the URL as a string');
    const url = context.request as string;
    this.requested.push(url);
    context.response = await tlsFetch(url, context.options as RequestInit);
  }
}

/** A Graph client as an application would build one against `baseUrl`, with `customHosts` naming Portico's host. */
function graphClient(
  authProvider: AuthenticationProvider,
  baseUrl: string,
  handler: TlsMessageHandler,
  customHosts?: Set<string>,
): Client {
  const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  middleware.splice(middleware.length - 1, 1, handler); // in place of HTTPMessageHandler, which calls fetch
  return Client.initWithMiddleware({ middleware, baseUrl: `${baseUrl}/`, defaultVersion: 'v1.0', customHosts });
}

type Guest = { id: string; mail: string; userType: string };

/** Rejects with the SDK's GraphError carrying `statusCode` and `code`. */
async function rejectsWithGraphError(request: Promise<unknown>, statusCode: number, code: string): Promise<GraphError> {
  let thrown: unknown;
  await assert.rejects(request, (e) => {
    thrown = e;
    return true;
  });
  assert.ok(thrown instanceof GraphError, `expected a GraphError, got ${String(thrown)}`);
  assert.equal(thrown.statusCode, statusCode, thrown.body);
  assert.equal(thrown.code, code, thrown.body);
  assert.ok(thrown.message.length > 0, 'the error has a message');
  return thrown;
}

suite('Microsoft Graph JS SDK against Portico', { runWorker: false }, ({ s, prepare }) => {
  let proxy: TlsProxy;
  /** Portico's public base URL (the proxy's origin): what the SDK sees, and what Portico puts in links */
  let publicBaseUrl: string;
  let handler: TlsMessageHandler;
  let client: Client;
  let authProvider: AuthenticationProvider;
  let tokenRequests = 0;
  /** every guest invited in this suite, by id */
  const guests = new Map<string, string>();

  prepare(async () => {
    proxy = await tlsProxy();
    publicBaseUrl = proxy.origin;
    return { env: { PORTICO_BASE_URL: proxy.origin } };
  });
  after(() => proxy?.close());

  before(async () => {
    const { tenant, managementClient } = await s.provision('Contoso');
    const listener = `http://${s.config.host}:${s.config.port}`;
    // A real client-credentials token from the tenant's own token endpoint, for the public API audience.
    const token = await appToken(
      s.baseUrl,
      tenant.id,
      managementClient.clientId,
      managementClient.clientSecret,
      listener,
    );
    authProvider = {
      getAccessToken: async () => {
        tokenRequests++;
        return token;
      },
    };
    await proxy.start(listener);
    handler = new TlsMessageHandler();
    // customHosts holds the bare hostname: the SDK compares the URL's hostname with the port cut off.
    client = graphClient(authProvider, publicBaseUrl, handler, new Set([new URL(publicBaseUrl).hostname]));
  });

  const invite = (email: string, extra: Record<string, unknown> = {}) =>
    client
      .api('/invitations')
      .post({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://apps.contoso.example/start', ...extra });

  it('creates an invitation with client.api("/invitations").post()', async () => {
    const invitation = await invite('alice@fabrikam.example', { invitedUserDisplayName: 'Alice Smith' });
    assert.equal(invitation.status, 'PendingAcceptance');
    assert.equal(invitation.invitedUserEmailAddress, 'alice@fabrikam.example');
    assert.equal(invitation.invitedUserType, 'Guest');
    const redeem = new URL(invitation.inviteRedeemUrl as string);
    assert.equal(`${redeem.origin}${redeem.pathname}`, `${publicBaseUrl}/redeem`);
    assert.match(redeem.search, /^\?ticket=[A-Za-z0-9_-]{43}$/);
    assert.match(invitation.invitedUser.id, UUID);
    guests.set(invitation.invitedUser.id, 'alice@fabrikam.example');

    const { '@odata.context': context, ...user } = await client
      .api(`/users/${invitation.invitedUser.id}`)
      .select(['userType', 'mail', 'externalUserState'])
      .get();
    assert.equal(context, `${publicBaseUrl}/v1.0/$metadata#users/$entity`);
    assert.deepEqual(user, {
      userType: 'Guest',
      mail: 'alice@fabrikam.example',
      externalUserState: 'PendingAcceptance',
    });
  });

  it(`pages ${GUESTS} guests with filter/select/top, following @odata.nextLink with client.api(nextLink)`, async () => {
    for (let i = guests.size; i < GUESTS; i++) {
      const mail = `guest${String(i).padStart(2, '0')}@partner${i % 3}.example`;
      const invitation = await invite(mail);
      assert.equal(invitation.status, 'PendingAcceptance');
      guests.set(invitation.invitedUser.id, mail);
    }
    assert.equal(guests.size, GUESTS);

    const seen: Guest[] = [];
    const pages: PageCollection[] = [];
    let page: PageCollection = await client
      .api('/users')
      .filter("userType eq 'Guest'")
      .select('id,mail,userType')
      .top(PAGE)
      .get();
    for (;;) {
      pages.push(page);
      assert.ok(page.value.length <= PAGE, `a page holds at most ${PAGE}`);
      seen.push(...(page.value as Guest[]));
      const nextLink = page['@odata.nextLink'];
      if (nextLink === undefined) break;
      assert.ok(
        nextLink.startsWith(`${publicBaseUrl}/v1.0/users?`),
        `nextLink ${nextLink} is absolute on the public base URL`,
      );
      assert.ok(pages.length <= GUESTS, 'paging ends');
      const before = handler.requested.length;
      page = await client.api(nextLink).get();
      assert.equal(handler.requested.length, before + 1, 'one request per page');
      assert.equal(handler.requested.at(-1), nextLink, 'the SDK requested the nextLink exactly as Portico gave it');
    }

    assert.equal(pages.length, Math.ceil(GUESTS / PAGE));
    assert.deepEqual(seen.map((g) => g.id).sort(), [...guests.keys()].sort(), 'every guest exactly once');
    for (const g of seen) {
      assert.deepEqual(Object.keys(g).sort(), ['id', 'mail', 'userType'], 'only the selected properties');
      assert.equal(g.userType, 'Guest');
      assert.equal(g.mail, guests.get(g.id));
    }
    assert.equal(pages[0]!['@odata.context'], `${publicBaseUrl}/v1.0/$metadata#users(id,mail,userType)`);
  });

  it("walks the same pages with the SDK's PageIterator", async () => {
    const first: PageCollection = await client
      .api('/users')
      .filter("userType eq 'Guest'")
      .select(['id', 'mail', 'userType'])
      .top(PAGE)
      .get();
    const before = handler.requested.length;
    const seen: Guest[] = [];
    const iterator = new PageIterator(client, first, (g: Guest) => {
      seen.push(g);
      return true;
    });
    await iterator.iterate();
    assert.ok(iterator.isComplete());
    assert.equal(handler.requested.length - before, Math.ceil(GUESTS / PAGE) - 1, 'one request per further page');
    assert.deepEqual(seen.map((g) => g.id).sort(), [...guests.keys()].sort(), 'every guest exactly once');
    for (const g of seen) assert.deepEqual(Object.keys(g).sort(), ['id', 'mail', 'userType']);
  });

  it('returns @odata.count for .count(true)', async () => {
    const page = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .filter("userType eq 'Guest'")
      .count(true)
      .top(PAGE)
      .get();
    assert.equal(page['@odata.count'], GUESTS);
    assert.equal(page.value.length, PAGE);
    const some = await client.api('/users').filter("startswith(mail,'guest1')").count(true).select('id').get();
    assert.equal(some['@odata.count'], 10, 'guest10..guest19');
    assert.equal(some.value.length, 10);
    assert.equal(some['@odata.nextLink'], undefined);
  });

  it("surfaces Graph's errors as the SDK's GraphError", async () => {
    const missing = await rejectsWithGraphError(
      client.api('/users/00000000-0000-4000-8000-000000000000').get(),
      404,
      'Request_ResourceNotFound',
    );
    assert.ok(missing.requestId, 'innerError request-id is read');
    assert.ok(missing.date instanceof Date && !Number.isNaN(missing.date.getTime()), 'innerError date is read');
    await rejectsWithGraphError(invite('not-an-address'), 400, 'Request_BadRequest');
    await rejectsWithGraphError(
      client.api('/users').filter("userType gt 'Guest'").get(),
      400,
      'Request_UnsupportedQuery',
    );
  });

  it('attaches the token only for customHosts: without them the SDK sends none and Portico refuses', async () => {
    const asked = tokenRequests;
    const org = await client.api('/organization').get();
    assert.equal(org.value.length, 1);
    assert.equal(org.value[0].displayName, 'Contoso');
    assert.equal(tokenRequests, asked + 1, 'the SDK asked the auth provider for the token');

    const stranger = graphClient(authProvider, publicBaseUrl, new TlsMessageHandler());
    await rejectsWithGraphError(stranger.api('/organization').get(), 401, 'InvalidAuthenticationToken');
    assert.equal(tokenRequests, asked + 1, 'no token was asked for a host the SDK does not recognise');
  });
});
