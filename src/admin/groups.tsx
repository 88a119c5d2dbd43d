// The admin center's groups at /admin/<tenant id>/groups: read with 'view', changed with 'manageUsers' through the
// domain functions the API uses (with their audit events), the signed-in admin as actor. Members are added by
// sign-in name or email address, the way an admin knows them.
import { Hono, type Context } from 'hono';

import { eachGroup, GROUP_SORTS, searchGroups } from '../directory/group-search.ts';
import {
  addMemberAs,
  createGroupAs,
  deleteGroupAs,
  getGroup,
  groupsOfUser,
  listMembers,
  removeMemberAs,
  updateGroupAs,
  type Group,
} from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import { findInvitee } from '../invitations/guests.ts';
import type { Services } from '../services.ts';
import {
  groupColumns,
  GroupPage,
  NewGroupPage,
  type GroupDone,
  type GroupErrors,
  type GroupForm,
} from './group-pages.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { PAGE_SIZE } from './list-export.ts';
import { searchListRoutes } from './search-list-page.tsx';

const DONE: readonly GroupDone[] = ['created', 'saved', 'added', 'removed'];
const afterOf = (value: string | undefined) => (value && isUuid(value) ? value.toLowerCase() : undefined);

/** The group the form describes, or the errors of the fields that don't fit (the API's limits). */
function readGroupForm(lang: Lang, body: Record<string, string | File>): { form: GroupForm; errors: GroupErrors } {
  const text = (name: keyof GroupForm) => (typeof body[name] === 'string' ? body[name].trim().slice(0, 2048) : '');
  const form: GroupForm = { displayName: text('displayName'), description: text('description') };
  const errors: GroupErrors = {};
  if (!form.displayName) errors.displayName = t(lang, 'admin.groups.nameRequired');
  else if (form.displayName.length > 256) errors.displayName = t(lang, 'admin.groups.tooLong', { max: '256' });
  if (form.description.length > 1024) errors.description = t(lang, 'admin.groups.tooLong', { max: '1024' });
  return { form, errors };
}

export function groupsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/groups`;

  searchListRoutes(app, guard, store.db, {
    section: 'groups',
    sorts: GROUP_SORTS,
    list: { search: searchGroups, each: eachGroup },
    columns: groupColumns,
    head: ['id', 'displayName', 'description', 'mailNickname', 'createdDateTime'],
    cells: (g) => [g.id, g.displayName, g.description, g.mailNickname, g.createdDateTime],
  });

  const newPage = (c: Context<AdminEnv>, s: Signed, form: GroupForm, errors: GroupErrors) =>
    c.html(<NewGroupPage {...shellOf(s)} form={form} errors={errors} />, Object.keys(errors).length ? 400 : 200);

  app.get('/admin/:tenant/groups/new', guard.signedIn('manageUsers'), async (c) => {
    const s = c.var.signed;
    return newPage(c, s, { displayName: '', description: '' }, {});
  });

  app.post('/admin/:tenant/groups/new', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const { form, errors } = readGroupForm(s.lang, s.form);
    if (Object.keys(errors).length) return newPage(c, s, form, errors);
    const group = await store.transaction((tx) =>
      createGroupAs(
        tx,
        clock,
        s.tenant.id,
        { displayName: form.displayName, description: form.description || null },
        actorOf(s),
      ),
    );
    return c.redirect(`${base(s)}/${group.id}?done=created`, 303);
  });

  async function groupPage(
    c: Context<AdminEnv>,
    s: Signed,
    group: Group,
    opts: { form?: GroupForm; errors?: GroupErrors; member?: string; memberError?: string; done?: GroupDone } = {},
  ) {
    const members = await listMembers(store.db, s.tenant.id, group.id, {
      top: PAGE_SIZE,
      after: afterOf(c.req.query('after')),
    });
    const status = opts.memberError || Object.keys(opts.errors ?? {}).length ? 400 : 200;
    return c.html(
      <GroupPage
        {...shellOf(s)}
        group={group}
        form={opts.form ?? { displayName: group.displayName, description: group.description ?? '' }}
        errors={opts.errors ?? {}}
        member={opts.member ?? ''}
        memberError={opts.memberError}
        members={members.items}
        next={members.next}
        done={opts.done}
      />,
      status,
    );
  }

  /** The group of the path, or a 404. */
  const groupOf = (c: Context<AdminEnv>, s: Signed) => getGroup(store.db, s.tenant.id, c.req.param('id') ?? '');

  app.get('/admin/:tenant/groups/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const group = await groupOf(c, s);
    if (!group) return c.notFound();
    return groupPage(c, s, group, { done: DONE.find((d) => d === c.req.query('done')) });
  });

  app.post('/admin/:tenant/groups/:id', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const group = await groupOf(c, s);
    if (!group) return c.notFound();
    const { form, errors } = readGroupForm(s.lang, s.form);
    if (Object.keys(errors).length) return groupPage(c, s, group, { form, errors });
    await store.transaction((tx) =>
      updateGroupAs(
        tx,
        clock,
        s.tenant.id,
        group.id,
        { displayName: form.displayName, description: form.description || null },
        actorOf(s),
      ),
    );
    return c.redirect(`${base(s)}/${group.id}?done=saved`, 303);
  });

  app.post('/admin/:tenant/groups/:id/delete', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const group = await groupOf(c, s);
    if (!group) return c.notFound();
    await store.transaction((tx) => deleteGroupAs(tx, clock, s.tenant.id, group.id, actorOf(s)));
    return c.redirect(`${base(s)}?done=deleted`, 303);
  });

  app.post('/admin/:tenant/groups/:id/members', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const group = await groupOf(c, s);
    if (!group) return c.notFound();
    const member = typeof s.form.member === 'string' ? s.form.member.trim().slice(0, 320) : '';
    const refuse = (key: 'admin.groups.memberUnknown' | 'admin.groups.memberAlready') =>
      groupPage(c, s, group, { member, memberError: t(s.lang, key, { member }) });
    // By sign-in name (members) or by address: mail, a guest's invited address or its #EXT# name.
    const user = member
      ? ((await getUser(store.db, s.tenant.id, member)) ?? (await findInvitee(store.db, s.tenant, member)))
      : undefined;
    if (!user) return refuse('admin.groups.memberUnknown');
    if ((await groupsOfUser(store.db, s.tenant.id, user.id)).some((g) => g.id === group.id))
      return refuse('admin.groups.memberAlready');
    try {
      await store.transaction((tx) => addMemberAs(tx, clock, s.tenant.id, group.id, user.id, actorOf(s)));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return groupPage(c, s, group, { member, memberError: error.text(s.lang) });
    }
    return c.redirect(`${base(s)}/${group.id}?done=added`, 303);
  });

  app.post('/admin/:tenant/groups/:id/members/:member/remove', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const group = await groupOf(c, s);
    if (!group) return c.notFound();
    try {
      await store.transaction((tx) =>
        removeMemberAs(tx, clock, s.tenant.id, group.id, c.req.param('member'), actorOf(s)),
      );
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.notFound();
    }
    return c.redirect(`${base(s)}/${group.id}?done=removed`, 303);
  });

  return app;
}
