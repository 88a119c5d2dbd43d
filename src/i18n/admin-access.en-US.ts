// The admin center's access pages.
export const adminAccessEnUS = {
};
