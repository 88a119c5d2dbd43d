// Organizational contacts (Graph's orgContact): mail-enabled address-book entries. Their addresses matter to
// invitations: a guest invited at a contact's address is created without mail (the seed's contact conflict).
import type { Clock } from '../clock.ts';
import { orNotFound } from '../errors.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { normalize, parseJson, toJson } from '../store/json.ts';
import type { ContactsTable } from '../store/schema.ts';
import { requireEmailAddress, shownAddress } from './address.ts';
import { audited, type Actor, type AuditTarget } from './audit.ts';
import { type PropertyMap } from './filter.ts';
import { filteredPageOf } from './paging.ts';
import { isUuid } from './tenants.ts';
import type { ListOptions, Page } from './users.ts';

export interface Contact {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  companyName: string | null;
  mail: string | null;
  proxyAddresses: string[];
  createdDateTime: string;
}

export const toContact = (r: ContactsTable): Contact => ({
  id: r.id,
  displayName: r.display_name,
  givenName: r.given_name,
  surname: r.surname,
  companyName: r.company_name,
  mail: r.mail,
  proxyAddresses: parseJson(r.proxy_addresses, []),
  createdDateTime: r.created_at,
});

export const contactProperties: PropertyMap<keyof ContactsTable & string> = {
  id: { column: 'id', type: 'string', caseInsensitive: true },
  mail: { column: 'mail_normalized', type: 'string', caseInsensitive: true },
  displayName: { column: 'display_name', type: 'string' },
};

export interface ContactInput {
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  companyName?: string | null;
  mail?: string | null;
  proxyAddresses?: string[];
}

/** `SMTP:a@b` or `smtp:a@b` (Exchange's form), or a bare address; returns the address part. */
export function proxyAddressMail(proxy: string): string {
  const m = /^smtp:(.*)$/i.exec(proxy);
  return (m ? m[1]! : proxy).trim();
}

/** Every address a contact holds, normalized: its mail and its proxy addresses. */
export const contactAddresses = (c: Pick<Contact, 'mail' | 'proxyAddresses'>): string[] => [
  ...new Set([c.mail, ...c.proxyAddresses.map(proxyAddressMail)].filter((a): a is string => Boolean(a)).map(normalize)),
];

/** The contact that already holds an address (mail or proxy address), if any: the seed's contact conflict. */
export async function conflictingContact(tx: Tx, tenantId: string, email: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('contact_addresses')
    .select('contact_id')
    .where('tenant_id', '=', tenantId)
    .where('address', '=', normalize(email))
    .executeTakeFirst();
  return row?.contact_id;
}

/** Of `addresses` (normalized), those a contact of the tenant holds: conflictingContact for many at once. */
export async function contactAddressesAmong(tx: Tx, tenantId: string, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await tx
    .selectFrom('contact_addresses')
    .select('address')
    .where('tenant_id', '=', tenantId)
    .where('address', 'in', addresses)
    .execute();
  return new Set(rows.map((r) => r.address));
}

/** Keeps contact_addresses (what invitations check for the contact conflict) equal to the contact's addresses. */
async function syncAddresses(tx: Tx, tenantId: string, contact: Contact): Promise<Contact> {
  await tx
    .deleteFrom('contact_addresses')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contact.id)
    .execute();
  const addresses = contactAddresses(contact);
  if (addresses.length)
    await tx
      .insertInto('contact_addresses')
      .values(addresses.map((address) => ({ tenant_id: tenantId, address, contact_id: contact.id })))
      .execute();
  return contact;
}

function validate(input: Partial<ContactInput>): void {
  if (input.mail) requireEmailAddress(input.mail, 'mail');
  for (const p of input.proxyAddresses ?? [])
    requireEmailAddress(proxyAddressMail(p), `the proxy address '${shownAddress(p)}' (smtp:name@domain)`);
}

export async function createContact(tx: Tx, clock: Clock, tenantId: string, input: ContactInput): Promise<Contact> {
  validate(input);
  const id = newId();
  await tx
    .insertInto('contacts')
    .values({
      tenant_id: tenantId,
      id,
      display_name: input.displayName,
      given_name: input.givenName ?? null,
      surname: input.surname ?? null,
      company_name: input.companyName ?? null,
      mail: input.mail ?? null,
      mail_normalized: input.mail ? normalize(input.mail) : null,
      proxy_addresses: toJson(input.proxyAddresses ?? []),
      created_at: clock.now().toISOString(),
    })
    .execute();
  return syncAddresses(tx, tenantId, (await getContact(tx, tenantId, id))!);
}

export async function getContact(db: Tx, tenantId: string, id: string): Promise<Contact | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toContact(row);
}

export const requireContact = orNotFound(getContact);

export async function listContacts(db: Db, tenantId: string, opts: ListOptions): Promise<Page<Contact>> {
  const base = db.selectFrom('contacts').where('tenant_id', '=', tenantId);
  return filteredPageOf(base, opts, contactProperties, toContact);
}

export async function updateContact(
  tx: Tx,
  tenantId: string,
  id: string,
  patch: Partial<ContactInput>,
): Promise<Contact> {
  const contact = await requireContact(tx, tenantId, id);
  validate(patch);
  await tx
    .updateTable('contacts')
    .set({
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.givenName !== undefined && { given_name: patch.givenName }),
      ...(patch.surname !== undefined && { surname: patch.surname }),
      ...(patch.companyName !== undefined && { company_name: patch.companyName }),
      ...(patch.mail !== undefined && { mail: patch.mail, mail_normalized: patch.mail ? normalize(patch.mail) : null }),
      ...(patch.proxyAddresses !== undefined && { proxy_addresses: toJson(patch.proxyAddresses) }),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contact.id)
    .execute();
  return syncAddresses(tx, tenantId, (await getContact(tx, tenantId, contact.id))!);
}

export async function deleteContact(tx: Tx, tenantId: string, id: string): Promise<Contact> {
  const contact = await requireContact(tx, tenantId, id);
  await tx
    .deleteFrom('contact_addresses')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contact.id)
    .execute();
  await tx.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', contact.id).execute();
  return contact;
}

const contactTarget = (x: Contact): AuditTarget => ({ id: x.id, type: 'Contact', displayName: x.displayName });

// The changes with their audit events, as the API and the admin center make them on behalf of `actor`.

const auditedContact = audited<Contact>('DirectoryManagement', contactTarget);

export const createContactAs = async (tx: Tx, clock: Clock, tenantId: string, input: ContactInput, actor: Actor) =>
  auditedContact(tx, clock, tenantId, actor, 'Add contact', 'Add', await createContact(tx, clock, tenantId, input));

export async function updateContactAs(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: Partial<ContactInput>,
  actor: Actor,
): Promise<Contact> {
  const contact = await updateContact(tx, tenantId, id, patch);
  return auditedContact(tx, clock, tenantId, actor, 'Update contact', 'Update', contact);
}

export const deleteContactAs = async (tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor) =>
  auditedContact(tx, clock, tenantId, actor, 'Delete contact', 'Delete', await deleteContact(tx, tenantId, id));
