// Rendering a hono/jsx tree to an HTML document outside a request handler (mail templates, oidc-provider hooks).
// It sits below pages/ and mail/, so mail does not import the page layout to render.
export async function renderDocument(node: unknown): Promise<string> {
  return `<!doctype html>${await (node as { toString(): string | Promise<string> }).toString()}`;
}
