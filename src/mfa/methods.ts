// The method registry: every kind of second factor a person can register (an authenticator app, a passkey, ...) is
// one MethodType here. The MFA step (mfa/step.tsx) and the Security info page (myapps/security-info.tsx) host a
// type's register and verify pages without knowing the type; the Graph API (api/authentication-methods.ts) lists and
// deletes methods by the type's collection and shape. Adding a kind of method is one file and one entry in
// METHOD_TYPES. Recovery codes (mfa/recovery.ts) are not a method Graph lists: the hosts offer them beside these.
import type { Child } from 'hono/jsx';

import type { Actor } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import type { Lang, Messages } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { MfaAmr } from '../sessions/amr.ts';
import type { Ctx, Form } from '../signin/step.ts';
import type { StoredMethod } from './store.ts';
import { softwareOath } from './totp.tsx';
import { fido2 } from './webauthn-type.tsx';

/** Where a method's pages are shown: the MFA step of a sign-in, or the person's Security info page. */
export interface MethodHost {
  services: Services;
  tenant: Tenant;
  lang: Lang;
  user: User;
  /** the value the host's forms carry in `csrf` */
  csrf(): Promise<string>;
  /** the URL a form of this method type posts to, e.g. action('register/code') */
  action(path: string): string;
  /** who makes a change to the person's methods (the person, at both hosts) */
  actor: Actor;
  /** the host's page around a method's content: its layout, title, and a way back (Security info) */
  page(c: Ctx, title: string, body: Child, status?: 200 | 400 | 403 | 429): Promise<Response>;
}

/** A method registered by a register POST (its mail and audit event are queued: mfa/changes.ts addMethod). */
export interface Registered {
  registered: StoredMethod;
  /** the amr values this registration proves, as a verification would */
  amr: MfaAmr[];
}

/** A verification by a verify POST: the method used and the amr values it gives. */
export interface Verified {
  verified: StoredMethod;
  amr: MfaAmr[];
}

export interface MethodPages<R> {
  show(c: Ctx, host: MethodHost, shown?: { error?: string; status?: 200 | 400 | 403 | 429 }): Promise<Response>;
  /** by path below the type's own (`<type>/register/<path>`, `<type>/verify/<path>`) */
  posts: Record<string, (c: Ctx, host: MethodHost, form: Form) => Promise<Response | R>>;
}

export interface MethodType {
  /** stored in authentication_methods.type; also the path segment of its pages */
  type: string;
  /** Graph: the collection under /authentication (softwareOathMethods, fido2Methods) and the item's @odata.type */
  collection: string;
  odataType: string;
  /** the method in Graph's shape, without @odata.type (added by the API) */
  graph(method: StoredMethod): Record<string, unknown>;
  /** the type's name on pages and in mail */
  label: keyof Messages;
  register: MethodPages<Registered>;
  verify: MethodPages<Verified>;
}

export const METHOD_TYPES: readonly MethodType[] = [softwareOath, fido2];

export const methodType = (type: string): MethodType | undefined => METHOD_TYPES.find((m) => m.type === type);

export const methodTypeOfCollection = (collection: string): MethodType | undefined =>
  METHOD_TYPES.find((m) => m.collection === collection);
