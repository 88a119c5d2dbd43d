import type { adminAppsEnUS } from './admin-apps.en-US.ts';

export const adminAppsDeDE: typeof adminAppsEnUS = {
};
