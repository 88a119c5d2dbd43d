import type { adminDirectoryEnUS } from './admin-directory.en-US.ts';

export const adminDirectoryDeDE: typeof adminDirectoryEnUS = {
};
