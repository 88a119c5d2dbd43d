import type { adminBulkEnUS } from './admin-bulk.en-US.ts';

export const adminBulkDeDE: typeof adminBulkEnUS = {
};
