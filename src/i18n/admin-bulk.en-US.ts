// The admin center's bulk pages.
export const adminBulkEnUS = {
};
