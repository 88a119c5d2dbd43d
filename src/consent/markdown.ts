// Markdown terms of use as HTML, safely: markdown-it with raw HTML off (a `<script>` in the file is shown as text),
// its link check (no javascript:, vbscript:, file: or data: URLs), no images (nothing loads from elsewhere), links
// that open without handing over the page (rel=noopener noreferrer), and headings one level down, under the page's
// own heading.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true }).disable('image');

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};
const shifted: NonNullable<typeof md.renderer.rules.heading_open> = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_open = shifted;
md.renderer.rules.heading_close = shifted;

/** The file's text as HTML; everything in it that is not Markdown is escaped. */
export const markdownToHtml = (text: string): string => md.render(text.replace(/^\uFEFF/, ''));
