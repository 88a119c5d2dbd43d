import type { adminDomainsEnUS } from './admin-domains.en-US.ts';

export const adminDomainsDeDE: typeof adminDomainsEnUS = {
};
