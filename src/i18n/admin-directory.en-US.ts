// The admin center's directory pages.
export const adminDirectoryEnUS = {
};
