import type { adminTermsEnUS } from './admin-terms.en-US.ts';

export const adminTermsDeDE: typeof adminTermsEnUS = {
};
