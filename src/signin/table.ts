// The sign-in table's shared rows: the steps every sign-in runs once the person is known, at both entry points,
// after the entry point's own (the invitation flow's address proof and consent; an app's own requirements).
// Adding a step to every sign-in is one file exporting a Step and one row here (the MFA step, src/mfa/step.tsx, is one).
import { conditionalAccessBlockStep } from '../conditional-access/step.tsx';
import { mfaStep } from '../mfa/step.tsx';
import type { Services } from '../services.ts';
import type { Step } from './step.ts';
import { termsStep } from './terms.tsx';

/** Steps added to every sign-in without editing the table (tests insert one to see it run at both entry points). */
export interface SignInSeams {
  extraSteps?: readonly Step[];
}

export function signInSteps(services: Services, seams: SignInSeams = {}): Step[] {
  return [conditionalAccessBlockStep(services), mfaStep(services), termsStep(services), ...(seams.extraSteps ?? [])];
}
