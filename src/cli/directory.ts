// The seam between the CLI's tenant, invite, user and export commands and where the directory is: a command is
// written once against `Directory`, which is either the store beside this process (the domain functions, as the
// server runs them) or a deployment's Graph-shaped API (a profile of `portico login`). Both give the same shapes, so
// `--json` prints the same in either mode: users as the API returns them (api/users.ts graphUser), invitations as
// `portico invite` always printed them.
import { parseFilter } from '../api/odata.ts';
import { graphUser, parseUserPatch, patchUserAs } from '../api/users.ts';
import { deleteUserAs, restoreUserAs } from '../deleted/items.ts';
import { listDomains } from '../directory/tenants.ts';
import { getDeletedUser, listDeletedUsers, listUsers, type User } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { invite } from '../invitations/invite.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import { CLI_ACTOR, tenantOf, userOf, withServices } from './context.ts';
import { isRemote, selectedProfile, tenantRef, type RemoteProfile } from './profiles.ts';
import { plain, remoteClient, RemoteRefusal, type Remote } from './remote.ts';

export type GraphUser = ReturnType<typeof graphUser>;

export interface TenantView {
  tenantId: string;
  displayName: string;
  initialDomain: string;
  verifiedDomains: string[];
  createdDateTime: string;
}

export interface Invitation {
  invitationId: string;
  userId: string;
  userPrincipalName: string | null;
  status: string;
  outcome: string;
  inviteRedeemUrl: string | null;
  emailQueued: boolean;
  contactConflict: { contactId: string } | null;
}

export interface InviteRequest {
  email: string;
  redirectUrl?: string;
  displayName?: string;
  sendMessage: boolean;
  message?: string;
  /** Graph's resetRedemption: this existing user redeems again, at `email` */
  resetUserId?: string;
}

/** The largest page either mode reads (Graph's $top limit on users). */
export const PAGE = 999;

export interface Paging {
  pageSize?: number;
  onPage?: (items: number, total?: number) => void;
}

export interface Directory {
  mode: 'local' | 'remote';
  /** the tenant's id (remote: the profile's, checked against `--tenant`) */
  tenantId: string;
  tenant(): Promise<TenantView>;
  /** Every user a $filter selects, all pages (`pageSize` a request), in id order; `onPage` hears of each page, the total first. */
  listUsers(filter: string | undefined, paging?: Paging): Promise<GraphUser[]>;
  /** A user by object id, userPrincipalName or mail. */
  getUser(ref: string): Promise<GraphUser>;
  /** Graph's PATCH /users/{id} body; the user after it. */
  updateUser(ref: string, patch: Record<string, unknown>): Promise<GraphUser>;
  /** Moves the user to deleted items; the user as it was. */
  deleteUser(ref: string): Promise<GraphUser>;
  /** A deleted user (by object id or userPrincipalName) back; the user restored. */
  restoreUser(ref: string): Promise<GraphUser>;
  invite(request: InviteRequest): Promise<Invitation>;
}

/** Runs `fn` with the directory of the selected profile and the tenant `--tenant` (or the default) names. */
export async function withDirectory<T>(tenant: string | undefined, fn: (d: Directory) => Promise<T>): Promise<T> {
  const profile = selectedProfile();
  if (isRemote(profile)) return fn(await remoteDirectory(profile, tenant));
  const ref = tenantRef(tenant, profile);
  return withServices(async (services) => {
    const t = await tenantOf(services, ref);
    const { db } = services.store;
    const graph = (u: User) => graphUser(u);
    const d: Directory = {
      mode: 'local',
      tenantId: t.id,
      async tenant() {
        return {
          tenantId: t.id,
          displayName: t.displayName,
          initialDomain: t.initialDomain,
          verifiedDomains: (await listDomains(db, t.id)).filter((x) => x.isVerified).map((x) => x.name),
          createdDateTime: t.createdAt,
        };
      },
      async listUsers(filter, { pageSize = PAGE, onPage } = {}) {
        const parsed = filter === undefined ? undefined : parseFilter(filter);
        const items: GraphUser[] = [];
        let after: string | undefined;
        let first = true;
        do {
          const page = await listUsers(db, t.id, { filter: parsed, top: pageSize, after, count: first });
          items.push(...page.items.map(graph));
          onPage?.(page.items.length, first ? page.count : undefined);
          first = false;
          after = page.next;
        } while (after !== undefined);
        return items;
      },
      getUser: async (ref) => graph(await userOf(services, t.id, ref)),
      async updateUser(ref, patch) {
        const body = parseUserPatch(patch);
        const user = await userOf(services, t.id, ref);
        return graph(await patchUserAs(services, { tenantId: t.id, actor: CLI_ACTOR }, user.id, body));
      },
      async deleteUser(ref) {
        const user = await userOf(services, t.id, ref);
        await services.store.transaction((tx) => deleteUserAs(tx, services.clock, t.id, user.id, CLI_ACTOR));
        return graph(user);
      },
      async restoreUser(ref) {
        const found =
          (await getDeletedUser(db, t.id, ref)) ??
          (await listDeletedUsers(db, t.id, { filter: upnIs(ref), top: 1 })).items[0];
        if (!found) throw new ResourceNotFound('deleted.cliNotFound', { type: 'user', ref });
        return graph(
          await services.store.transaction((tx) => restoreUserAs(tx, services.clock, t.id, found.id, CLI_ACTOR)),
        );
      },
      async invite(r) {
        const result = await invite(services, t.id, CLI_ACTOR, {
          email: r.email,
          redirectUrl: r.redirectUrl ?? myAppsUrl(services.config.baseUrl, t.id),
          displayName: r.displayName,
          sendMessage: r.sendMessage,
          messageInfo: r.message ? { customizedMessageBody: r.message } : undefined,
          ...(r.resetUserId && { resetRedemption: true, invitedUserId: r.resetUserId }),
        });
        return {
          invitationId: result.invitationId,
          userId: result.user.id,
          userPrincipalName: result.user.userPrincipalName,
          status: result.status,
          outcome: result.outcome,
          inviteRedeemUrl: result.inviteRedeemUrl,
          emailQueued: result.messageQueued,
          contactConflict: result.contactConflict,
        };
      },
    };
    return fn(d);
  });
}

const upnIs = (ref: string) => ({ op: 'eq' as const, property: 'userPrincipalName', value: ref.trim() });
const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant id a deployment's discovery document names for `ref` (an id or a verified domain), if any. */
async function tenantIdAt(base: string, ref: string): Promise<string | undefined> {
  const res = await fetch(`${base}/${encodeURIComponent(ref)}/v2.0/.well-known/openid-configuration`);
  if (!res.ok) return undefined;
  const { issuer } = (await res.json()) as { issuer?: string };
  return /\/([0-9a-f-]{36})\/v2\.0$/.exec(issuer ?? '')?.[1];
}

async function remoteDirectory(profile: { name: string } & RemoteProfile, tenant: string | undefined) {
  if (
    tenant !== undefined &&
    ![profile.tenantId, profile.tenant.toLowerCase()].includes(tenant.trim().toLowerCase()) &&
    (await tenantIdAt(profile.url.replace(/\/+$/, ''), tenant.trim())) !== profile.tenantId
  )
    throw new InvalidRequest('cli.otherTenant', { profile: profile.name, tenantId: profile.tenantId, ref: tenant });
  const api: Remote = await remoteClient(profile);
  const user = (value: Record<string, unknown>) => plain(value) as unknown as GraphUser;

  async function find(ref: string): Promise<GraphUser> {
    const trimmed = ref.trim();
    try {
      return user(await api.request('GET', `/users/${encodeURIComponent(trimmed)}`));
    } catch (error) {
      if (!(error instanceof RemoteRefusal) || error.status !== 404) throw error;
    }
    const byMail = await api.request<{ value: Record<string, unknown>[] }>(
      'GET',
      `/users?$filter=${encodeURIComponent(`mail eq ${quoted(trimmed)}`)}&$top=1`,
    );
    if (!byMail.value[0]) throw new ResourceNotFound('cli.userNotFound', { ref });
    return user(byMail.value[0]);
  }

  const d: Directory = {
    mode: 'remote',
    tenantId: profile.tenantId,
    async tenant() {
      const org = await api.request<{
        id: string;
        displayName: string;
        createdDateTime: string;
        verifiedDomains: { name: string; isInitial: boolean }[];
      }>('GET', `/organization/${profile.tenantId}`);
      return {
        tenantId: org.id,
        displayName: org.displayName,
        initialDomain: org.verifiedDomains.find((x) => x.isInitial)?.name ?? '',
        verifiedDomains: org.verifiedDomains.map((x) => x.name),
        createdDateTime: org.createdDateTime,
      };
    },
    async listUsers(filter, { pageSize = PAGE, onPage } = {}) {
      const query = new URLSearchParams({ $top: String(pageSize), $count: 'true' });
      if (filter !== undefined) query.set('$filter', filter);
      const items = await api.pages<Record<string, unknown>>(`/users?${query}`, (page, count) =>
        onPage?.(page.length, count),
      );
      return items.map(user);
    },
    getUser: find,
    async updateUser(ref, patch) {
      const found = await find(ref);
      await api.request('PATCH', `/users/${found.id}`, patch);
      return user(await api.request('GET', `/users/${found.id}`));
    },
    async deleteUser(ref) {
      const found = await find(ref);
      await api.request('DELETE', `/users/${found.id}`);
      return found;
    },
    async restoreUser(ref) {
      let id = ref.trim();
      if (!UUID.test(id)) {
        const filter = encodeURIComponent(`userPrincipalName eq ${quoted(id)}`);
        const hit = await api.request<{ value: { id: string }[] }>(
          'GET',
          `/directory/deletedItems/microsoft.graph.user?$filter=${filter}&$top=1`,
        );
        if (!hit.value[0]) throw new ResourceNotFound('deleted.cliNotFound', { type: 'user', ref });
        id = hit.value[0].id;
      }
      try {
        return user(await api.request('POST', `/directory/deletedItems/${id}/restore`));
      } catch (error) {
        if (error instanceof RemoteRefusal && error.status === 404)
          throw new ResourceNotFound('deleted.cliNotFound', { type: 'user', ref });
        throw error;
      }
    },
    async invite(r) {
      const res = await api.request<Record<string, unknown>>('POST', '/invitations', {
        invitedUserEmailAddress: r.email,
        inviteRedirectUrl: r.redirectUrl ?? myAppsUrl(api.base, profile.tenantId),
        ...(r.displayName !== undefined && { invitedUserDisplayName: r.displayName }),
        sendInvitationMessage: r.sendMessage,
        ...(r.message !== undefined && { invitedUserMessageInfo: { customizedMessageBody: r.message } }),
        ...(r.resetUserId && { resetRedemption: true, invitedUser: { id: r.resetUserId } }),
      });
      const userId = (res.invitedUser as { id: string }).id;
      // The invitation does not carry the userPrincipalName; an app that may only invite cannot read it (null).
      const upn = await api
        .request<{ userPrincipalName: string }>('GET', `/users/${userId}?$select=userPrincipalName`)
        .then((u) => u.userPrincipalName)
        .catch(() => null);
      const conflict = res['@portico.contactConflict'] as { contactId: string } | undefined;
      return {
        invitationId: res.id as string,
        userId,
        userPrincipalName: upn,
        status: res.status as string,
        outcome: res['@portico.outcome'] as string,
        inviteRedeemUrl: (res.inviteRedeemUrl as string | null) ?? null,
        emailQueued: res.sendInvitationMessage as boolean,
        contactConflict: conflict ? { contactId: conflict.contactId } : null,
      };
    },
  };
  return d;
}
