import type { adminAccessEnUS } from './admin-access.en-US.ts';

export const adminAccessDeDE: typeof adminAccessEnUS = {
};
