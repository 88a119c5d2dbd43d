// The admin center's domains page.
export const adminDomainsEnUS = {
};
