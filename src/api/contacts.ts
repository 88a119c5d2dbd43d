import { Hono } from 'hono';
import { z } from 'zod';

import { READ_CONTACTS, WRITE_CONTACTS } from '../apps/permissions.ts';
import {
  createContactAs,
  deleteContactAs,
  listContacts,
  requireContact,
  updateContactAs,
  type Contact,
} from '../directory/contacts.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById, patchById } from './change.ts';
import { collection, readJson, readListQuery } from './odata.ts';

const CONTACT_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'companyName',
  'mail',
  'proxyAddresses',
  'createdDateTime',
];

const fields = {
  displayName: z.string().trim().min(1).max(256),
  givenName: z.string().max(64).nullable().optional(),
  surname: z.string().max(64).nullable().optional(),
  companyName: z.string().max(256).nullable().optional(),
  mail: z.string().max(254).nullable().optional(),
  proxyAddresses: z.array(z.string().max(260)).max(50).optional(),
};
export const newContact = z.strictObject(fields);
export const contactPatch = z.strictObject({ ...fields, displayName: fields.displayName.optional() });

export function contactRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = (x: Contact) => ({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#contacts/$entity`, ...x });

  app.get('/contacts', requirePermission(...READ_CONTACTS), async (c) => {
    const q = readListQuery(c, CONTACT_PROPERTIES);
    const page = await listContacts(store.db, c.get('principal').tenantId, q);
    return c.json(collection(c, config.baseUrl, 'contacts', page, q.select));
  });

  app.get('/contacts/:id', requirePermission(...READ_CONTACTS), async (c) =>
    c.json(entity(await requireContact(store.db, c.get('principal').tenantId, c.req.param('id')))),
  );

  app.post('/contacts', requirePermission(...WRITE_CONTACTS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newContact);
    const contact = await store.transaction((tx) => createContactAs(tx, clock, tenantId, body, actor));
    return c.json(entity(contact), 201);
  });

  app.patch('/contacts/:id', requirePermission(...WRITE_CONTACTS), patchById(services, contactPatch, updateContactAs));

  app.delete('/contacts/:id', requirePermission(...WRITE_CONTACTS), changeById(services, deleteContactAs));

  return app;
}
