// The admin center's terms pages.
export const adminTermsEnUS = {
};
