// Rendering a hono/jsx tree to an HTML document outside a request handler (mail templates, oidc-provider hooks).
// It sits below pages/ and mail/, so mail does not import the page layout to render.
// A page's Layout already starts with the doctype (pages/layout.tsx), so it is added only where missing.
export async function renderDocument(node: unknown): Promise<string> {
  const html = await (node as { toString(): string | Promise<string> }).toString();
  return /^<!doctype html>/i.test(html) ? html : `${DOCTYPE}${html}`;
}

/** What every page and mail starts with, so browsers render in standards mode, not quirks mode. */
export const DOCTYPE = '<!doctype html>';
