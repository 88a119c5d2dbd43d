// The admin center's apps pages.
export const adminAppsEnUS = {
};
