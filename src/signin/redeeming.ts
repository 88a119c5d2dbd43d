// A sign-in that redeems an invitation (or signs a guest in by a direct link): it carries the redemption flow, whose
// state the redemption's own steps (address proof, consent) read and write.
import type { Flow } from '../redemption/flow.ts';
import type { SignIn } from './step.ts';

export interface Redeeming extends SignIn {
  flow: Flow;
}
