// The sign-in table's shared rows: the steps every sign-in runs once the person is known, at both entry points,
// after the entry point's own (the invitation flow's address proof and consent; an app's own requirements): a reset
// password's change (signin/change-password.tsx), then the terms of use.
// Adding a step to every sign-in (MFA is next) is one file exporting a Step and one row here.
import type { Services } from '../services.ts';
import { changePasswordStep } from './change-password.tsx';
import type { Step } from './step.ts';
import { termsStep } from './terms.tsx';

/** Steps added to every sign-in without editing the table (tests insert one to see it run at both entry points). */
export interface SignInSeams {
  extraSteps?: readonly Step[];
}

export function signInSteps(services: Services, seams: SignInSeams = {}): Step[] {
  // A password an administrator reset is changed first: nothing else runs on a password someone else knows.
  return [changePasswordStep(services), termsStep(services), ...(seams.extraSteps ?? [])];
}
