// One sign-in's steps after the person is known, as a table each entry point runs in order: the invitation flow
// (redemption/routes.tsx) and the tenant's sign-in pages (interactions/routes.tsx). As in oidc-provider's interaction
// policy, a step says whether it is pending for this sign-in, shows its page, and handles its form's POST; the first
// pending step is the one shown, and when none is pending the entry point completes the sign-in its own way.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

import type { DecisionReads } from '../conditional-access/decision.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { Identity } from '../directory/users.ts';
import type { Lang } from '../i18n/index.ts';
import type { SessionMfa } from '../sessions/sessions.ts';

export type Ctx = Context<{ Bindings: HttpBindings }>;
export type Form = Record<string, string | File>;

/** One sign-in in progress, as every step sees it, whichever entry point runs it. */
export interface SignIn {
  tenant: Tenant;
  lang: Lang;
  /** the user at `tenant` being signed in (the invited guest, or who signed in at the tenant's pages) */
  userId: string;
  /**
   * the client id of the app this sign-in is for (Conditional Access applies its policies by app), when known: the
   * app's at the tenant's sign-in pages, the invitation's redirect's at a redemption when it names one
   */
  clientId?: string;
  /**
   * the MFA of the guest's home sign-in (a guest whose account is another tenant's on this deployment: the session
   * this browser holds there, when it is the guest's and did MFA): the MFA step accepts it when the tenant trusts that
   * tenant's MFA, and the sign-in's amr then carries it. Absent, or undefined: none known.
   */
  homeMfa?: () => Promise<SessionMfa | undefined>;
  /**
   * the identity this sign-in signs the user in with when it is not the user's yet (a redemption binds it only at
   * completion): Conditional Access and inbound trust see the guest's home through it
   */
  identity?: Pick<Identity, 'issuer' | 'issuerAssignedId'>;
  /**
   * what the Conditional Access decisions of this request share (the tenant's policies, read once however many steps
   * ask): an entry point that sets it gives each request a new one
   */
  reads?: DecisionReads;
  /** the value every step's form carries in `csrf`; the entry point checks it before a step's POST runs */
  formToken(): Promise<string>;
  /** the URL a step's form posts to: `action('terms')` */
  action(path: string): string;
  /** what each step of this sign-in remembers between requests, by step name (kept by the entry point) */
  memo(step: string): unknown;
  remember(step: string, value: unknown): Promise<void>;
  /** the sign-in's page as its state now says: the current step's (with `shown`), or what completes it */
  render(c: Ctx, shown?: Shown): Promise<Response>;
  /**
   * the person said no at a step: the entry point ends the sign-in its way (a page, or access_denied to the app),
   * with its sign-in log entry failed as `logged` says
   */
  decline(
    c: Ctx,
    said: { message: string; description: string; logged: 'termsDeclined' | 'consentDeclined' },
  ): Promise<Response>;
  /**
   * a step refuses the sign-in with a page of its own (a Conditional Access block): the entry point records the
   * attempt as refused with `logged` (its one sign-in log entry); the step then shows its page
   */
  refused?(c: Ctx, logged: 'conditionalAccessBlocked'): Promise<void>;
}

/** How a step's page is shown: a message above its form, with the status that goes with it. */
export interface Shown {
  error?: string;
  status?: 200 | 400 | 403 | 429;
}

/** A POST of a step's form answers a response (its page again, a refusal), or DONE: the entry point goes on. */
export const DONE = Symbol('step done');
export type Posted = Response | typeof DONE;

export interface Step<S extends SignIn = SignIn> {
  /** names the step; unique within a table */
  name: string;
  pending(signIn: S): Promise<boolean>;
  show(c: Ctx, signIn: S, shown?: Shown): Promise<Response>;
  /**
   * Its forms' POSTs, by path below the entry point's base (`action(path)`). One runs once every step before this
   * one is done (a POST that comes again after this step is done, such as a double submit, runs again: each
   * handler answers that case itself).
   */
  posts: Record<string, (c: Ctx, signIn: S, form: Form) => Promise<Posted>>;
}

/** The step to show: the first one pending, in table order; undefined when the sign-in may complete. */
export async function currentStep<S extends SignIn>(
  table: readonly Step<S>[],
  signIn: S,
): Promise<Step<S> | undefined> {
  for (const step of table) if (await step.pending(signIn)) return step;
  return undefined;
}

/** Whether every step before `step` in the table is done: its POSTs may run. */
export async function reached<S extends SignIn>(table: readonly Step<S>[], step: Step<S>, signIn: S): Promise<boolean> {
  const at = table.indexOf(step);
  if (at < 0) return false;
  for (const before of table.slice(0, at)) if (await before.pending(signIn)) return false;
  return true;
}

/** A table's POST paths, each owned by one step: a row added twice, or two steps claiming a path, fail at start. */
export function postsOf<S extends SignIn>(table: readonly Step<S>[]): [Step<S>, string, Step<S>['posts'][string]][] {
  const seen = new Set<string>();
  const names = new Set<string>();
  return table.flatMap((step) => {
    if (names.has(step.name)) throw new Error(`sign-in step "${step.name}" is in the table twice`);
    names.add(step.name);
    return Object.entries(step.posts).map(([path, handle]): [Step<S>, string, typeof handle] => {
      if (seen.has(path)) throw new Error(`sign-in steps share the POST path "${path}"`);
      seen.add(path);
      return [step, path, handle];
    });
  });
}
