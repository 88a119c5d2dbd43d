// Bulk invitation a chunk of rows at a time (the CLI's `portico invite --csv`, bulk-file.ts). Inviting each row in a
// transaction of its own cost 100,000 rows 158 s on SQLite, most of it in per-row statements and commits. Here the
// rows of a chunk that can only create a new guest (a valid row whose address no user, contact, block or member of
// another tenant holds, and the chunk's first row of its address) are invited together, in one transaction whose
// reads cover the whole chunk and whose inserts are one statement per table; they write what invite() writes for such
// a row. Every other row goes through inviteRow() as before, after that transaction, so rows of one address still take
// turns in line order. If the batch fails in any way it is undone and every row of the chunk goes through inviteRow():
// a bad row never spoils its neighbours.
import { recordAudits } from '../directory/audit.ts';
import { contactAddressesAmong } from '../directory/contacts.ts';
import { requireTenant, type Tenant } from '../directory/tenants.ts';
import { addressesInUse, getUser, insertUsersIfAbsent, membersElsewhere, toUser } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { pickLang } from '../i18n/index.ts';
import { enqueueAll, type OutgoingMail } from '../mail/outbox.ts';
import { newId } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import {
  invitedRow,
  inviteInOrder,
  inviteRow,
  parseBool,
  type BulkInput,
  type BulkOptions,
  type BulkRow,
} from './bulk.ts';
import { guestRow, guestUpn } from './guests.ts';
import { invitationMail, invitationRow, inviteAudit, inviterOf, validateInvite, type MessageInfo } from './invite.ts';
import { blockedAmong } from './optout.ts';
import { asInviter, requireDomainAllowed, requireMayInvite } from './policy.ts';
import { sponsorInvitee } from './sponsors.ts';
import { newTicket, redeemUrl } from './tickets.ts';

/**
 * Rows a chunk takes. Its largest statement, the users insert, binds 24 values a row: 12,000 here, under SQLite's
 * 32,766 and PostgreSQL's 65,535.
 */
export const CHUNK_ROWS = 500;

type Target = Pick<BulkOptions, 'tenantId' | 'actor' | 'defaultRedirect'>;

/**
 * Invites `inputs` a chunk at a time: `onRow` hears each row as it ends, `inOrder` every row in line order once its
 * chunk has ended. A row that throws (not a refusal: those are results) ends the run once the chunk's other rows in
 * flight have ended, with the error. Returns the number of rows taken.
 */
export async function inviteInChunks(
  services: Services,
  target: Target,
  inputs: Iterable<BulkInput> | AsyncIterable<BulkInput>,
  opts: { chunkRows?: number; inFlight?: number; onRow?: (row: BulkRow) => void; inOrder?: (row: BulkRow) => void },
): Promise<number> {
  const size = Math.max(1, opts.chunkRows ?? CHUNK_ROWS);
  let taken = 0;
  let chunk: BulkInput[] = [];
  const run = async () => {
    const rows = chunk;
    chunk = [];
    taken += rows.length;
    await inviteChunk(services, target, rows, opts);
  };
  for await (const input of inputs) {
    chunk.push(input);
    if (chunk.length >= size) await run();
  }
  if (chunk.length > 0) await run();
  return taken;
}

/**
 * One chunk: its new guests together, then the other rows one by one; `inOrder` hears the results in line order, up
 * to the first row without one when a row throws.
 */
async function inviteChunk(
  services: Services,
  target: Target,
  rows: BulkInput[],
  opts: { inFlight?: number; onRow?: (row: BulkRow) => void; inOrder?: (row: BulkRow) => void },
): Promise<void> {
  const batched = await inviteNewGuests(services, target, rows);
  for (const row of batched.values()) opts.onRow?.(row);
  const others: BulkRow[] = [];
  try {
    await inviteInOrder(
      rows.filter((_, i) => !batched.has(i)),
      (input) => inviteRow(services, target, input),
      { inFlight: opts.inFlight, onRow: opts.onRow, inOrder: (row) => others.push(row) },
    );
  } finally {
    let next = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = batched.get(i) ?? others[next++];
      if (!row) break;
      opts.inOrder?.(row);
    }
  }
}

interface NewGuest {
  /** the row's index in its chunk */
  i: number;
  input: BulkInput;
  email: string;
  /** the normalized address and the user principal name the guest would get: what findInvitee looks up */
  keys: [string, string];
  send: boolean;
  redirectUrl: string;
  messageInfo: MessageInfo;
}

/** A user insert that met a user made meanwhile (PostgreSQL): the batch is undone and the chunk goes row by row. */
class AddressTakenMeanwhile extends Error {}

/**
 * Invites, in one transaction, the rows of `rows` that create a new guest, as invite() does each; returns their
 * results by index in `rows`. Nothing is invited (an empty map) when the batch fails or the inviter may not invite:
 * then every row goes through inviteRow(), which gives each its own refusal.
 */
export async function inviteNewGuests(
  services: Services,
  target: Target,
  rows: BulkInput[],
): Promise<Map<number, BulkRow>> {
  const { store, clock, config } = services;
  const { actor } = target;
  let results: Map<number, BulkRow>;
  try {
    results = await store.transaction(async (tx) => {
      const done = new Map<number, BulkRow>();
      const tenant = await requireTenant(tx, target.tenantId);
      requireMayInvite(
        tenant,
        await asInviter(actor, actor.kind === 'user' ? await getUser(tx, tenant.id, actor.id) : undefined),
      );
      const guests = await newGuestsAmong(tx, tenant, target, rows);
      if (guests.length === 0) return done;
      const now = clock.now().toISOString();
      const users = guests.map((g) =>
        guestRow(tenant, { email: g.email, userType: 'Guest', contactConflict: false }, now),
      );
      if ((await insertUsersIfAbsent(tx, users)).size !== users.length) throw new AddressTakenMeanwhile();
      const inviter = await inviterOf(tx, tenant, actor);
      const invitations = [];
      const mails: OutgoingMail[] = [];
      const audits = [];
      for (const [k, g] of guests.entries()) {
        const user = toUser(users[k]!);
        const sponsors = await sponsorInvitee(tx, clock, tenant.id, user, actor, undefined, { created: true });
        const { ticket, hash, expiresAt } = newTicket(clock, tenant.settings.invitationTicketLifetimeDays);
        const invitationId = newId();
        const input = { redirectUrl: g.redirectUrl, sendMessage: g.send };
        const { messageInfo } = g;
        invitations.push(
          invitationRow(clock, tenant.id, actor, {
            invitationId,
            userId: user.id,
            email: g.email,
            input,
            hash,
            expiresAt,
            messageInfo,
          }),
        );
        const url = redeemUrl(config.baseUrl, ticket);
        if (g.send) {
          const lang = pickLang(messageInfo.messageLanguage);
          mails.push(
            await invitationMail(tx, services, tenant, inviter, {
              email: g.email,
              url,
              redirectUrl: g.redirectUrl,
              messageInfo,
              lang,
            }),
          );
        }
        audits.push(
          inviteAudit(actor, user, {
            email: g.email,
            outcome: 'created',
            invitationId,
            input,
            automatic: false,
            sponsors,
            contactId: undefined,
          }),
        );
        done.set(g.i, invitedRow(g.input, { outcome: 'created', user, inviteRedeemUrl: url }));
      }
      await tx.insertInto('invitations').values(invitations).execute();
      await enqueueAll(tx, clock, tenant.id, 'invitation', mails);
      await recordAudits(tx, clock, tenant.id, audits);
      return done;
    });
  } catch {
    // Undone: the rows one by one meet whatever failed (a refusal, an address taken meanwhile, a store that went
    // away) each as invite() would.
    return new Map();
  }
  // Counted once committed, as invite() counts.
  for (let n = 0; n < results.size; n++) services.metrics?.invitations.inc({ outcome: 'created' });
  return results;
}

/**
 * The rows that can only create a new guest: the chunk's first row of each address (and of the user principal name
 * it would give), valid, in an allowed domain, and whose address no block, contact, user of the tenant or member of
 * another tenant holds. Any doubt leaves a row to inviteRow().
 */
async function newGuestsAmong(tx: Tx, tenant: Tenant, target: Target, rows: BulkInput[]): Promise<NewGuest[]> {
  const seen = new Set<string>();
  const candidates: NewGuest[] = [];
  const lang = pickLang(undefined);
  rows.forEach((input, i) => {
    const email = input.email.trim();
    const keys: [string, string] = [normalize(email), normalize(guestUpn(email, tenant.initialDomain))];
    const first = !keys.some((key) => seen.has(key));
    for (const key of keys) seen.add(key);
    const send = parseBool(input.send, true);
    if (!first || send === undefined) return;
    const redirectUrl = input.redirect || target.defaultRedirect;
    const message = input.message ? { customizedMessageBody: input.message } : undefined;
    try {
      validateInvite({ email: input.email, redirectUrl, sendMessage: send, messageInfo: message });
      requireDomainAllowed(tenant, email);
    } catch (error) {
      if (error instanceof PorticoError) return;
      throw error;
    }
    candidates.push({ i, input, email, keys, send, redirectUrl, messageInfo: { ...message, messageLanguage: lang } });
  });
  if (candidates.length === 0) return [];
  const addresses = candidates.map((c) => c.keys[0]);
  const blocked = await blockedAmong(tx, tenant.id, addresses);
  const contacts = await contactAddressesAmong(tx, tenant.id, addresses);
  const inUse = await addressesInUse(
    tx,
    tenant.id,
    candidates.flatMap((c) => c.keys),
  );
  // memberTenantOf compares the address as given (trimmed): both forms are asked.
  const members = await membersElsewhere(tx, [...new Set(candidates.flatMap((c) => [c.email, c.keys[0]]))], tenant.id);
  return candidates.filter(
    (c) =>
      !blocked.has(c.keys[0]) &&
      !contacts.has(c.keys[0]) &&
      !c.keys.some((key) => inUse.has(key)) &&
      !members.has(c.email) &&
      !members.has(c.keys[0]),
  );
}
