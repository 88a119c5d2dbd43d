// Why an upstream answer was refused. The reason is safe to show: it names what was wrong with the message, never
// a secret, and the page around it says what to do next.
export type RefusalKind =
  | 'malformed'
  | 'signature'
  | 'algorithm'
  | 'audience'
  | 'destination'
  | 'expired'
  | 'replay'
  | 'issuer'
  | 'state'
  | 'subject'
  | 'email'
  | 'domain'
  | 'unverified'
  | 'upstream-error'
  | 'unavailable';

export class FederationRefused extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly reason: string,
  ) {
    super(reason);
  }
}
