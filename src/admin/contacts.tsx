// The admin center's contacts at /admin/<tenant id>/contacts: read with 'view', changed with 'manageUsers' through
// the domain functions the API uses (with their audit events), the signed-in admin as actor.
import { Hono, type Context } from 'hono';

import { CONTACT_SORTS, eachContact, searchContacts } from '../directory/contact-search.ts';
import {
  contactAddresses,
  createContactAs,
  deleteContactAs,
  getContact,
  updateContactAs,
  type Contact,
} from '../directory/contacts.ts';
import { conflictedGuests } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import type { Services } from '../services.ts';
import {
  contactColumns,
  contactFormOf,
  ContactPage,
  NewContactPage,
  readContactForm,
  type ContactDone,
  type ContactErrors,
  type ContactForm,
} from './contact-pages.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { searchListRoutes } from './search-list-page.tsx';

export function contactsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/contacts`;

  searchListRoutes(app, guard, store.db, {
    section: 'contacts',
    sorts: CONTACT_SORTS,
    list: { search: searchContacts, each: eachContact },
    columns: contactColumns,
    head: ['id', 'displayName', 'mail', 'companyName', 'givenName', 'surname', 'createdDateTime'],
    cells: (x) => [x.id, x.displayName, x.mail, x.companyName, x.givenName, x.surname, x.createdDateTime],
  });

  const blank: ContactForm = {
    displayName: '',
    mail: '',
    proxyAddresses: '',
    companyName: '',
    givenName: '',
    surname: '',
  };
  const newPage = (c: Context<AdminEnv>, s: Signed, form: ContactForm, errors: ContactErrors, error?: string) =>
    c.html(
      <NewContactPage {...shellOf(s)} form={form} errors={errors} error={error} />,
      error || Object.keys(errors).length ? 400 : 200,
    );

  app.get('/admin/:tenant/contacts/new', guard.signedIn('manageUsers'), async (c) => {
    const s = c.var.signed;
    return newPage(c, s, blank, {});
  });

  app.post('/admin/:tenant/contacts/new', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const { form, input, errors } = readContactForm(s.lang, (name) => s.form[name]);
    if (!input) return newPage(c, s, form, errors);
    try {
      const contact = await store.transaction((tx) => createContactAs(tx, clock, s.tenant.id, input, actorOf(s)));
      return c.redirect(`${base(s)}/${contact.id}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return newPage(c, s, form, {}, error.text(s.lang));
    }
  });

  async function contactPage(
    c: Context<AdminEnv>,
    s: Signed,
    contact: Contact,
    opts: { form?: ContactForm; errors?: ContactErrors; error?: string; done?: ContactDone } = {},
  ) {
    const conflicts = await conflictedGuests(store.db, s.tenant.id, contactAddresses(contact));
    const status = opts.error || Object.keys(opts.errors ?? {}).length ? 400 : 200;
    return c.html(
      <ContactPage
        {...shellOf(s)}
        contact={contact}
        form={opts.form ?? contactFormOf(contact)}
        errors={opts.errors ?? {}}
        error={opts.error}
        conflicts={conflicts}
        done={opts.done}
      />,
      status,
    );
  }

  app.get('/admin/:tenant/contacts/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const contact = await getContact(store.db, s.tenant.id, c.req.param('id'));
    if (!contact) return c.notFound();
    const done = c.req.query('done');
    return contactPage(c, s, contact, { done: done === 'created' || done === 'saved' ? done : undefined });
  });

  app.post('/admin/:tenant/contacts/:id', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const contact = await getContact(store.db, s.tenant.id, c.req.param('id'));
    if (!contact) return c.notFound();
    const { form, input, errors } = readContactForm(s.lang, (name) => s.form[name]);
    if (!input) return contactPage(c, s, contact, { form, errors });
    try {
      await store.transaction((tx) => updateContactAs(tx, clock, s.tenant.id, contact.id, input, actorOf(s)));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return contactPage(c, s, contact, { form, error: error.text(s.lang) });
    }
    return c.redirect(`${base(s)}/${contact.id}?done=saved`, 303);
  });

  app.post('/admin/:tenant/contacts/:id/delete', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const contact = await getContact(store.db, s.tenant.id, c.req.param('id'));
    if (!contact) return c.notFound();
    await store.transaction((tx) => deleteContactAs(tx, clock, s.tenant.id, contact.id, actorOf(s)));
    return c.redirect(`${base(s)}?done=deleted`, 303);
  });

  return app;
}
