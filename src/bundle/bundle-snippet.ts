/** The tag a shop pastes to serve a bundle from `base` (the folder's URL path on its site). */
export function tagSnippet(base: string, domain: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return [
    '<script>window.hafrec = window.hafrec || [];</script>',
    `<script async src="${root}embed.js"`,
    `        data-catalog="${root}catalog.json"`,
    `        data-model="${root}model.json"`,
    `        data-domain="${domain}"></script>`,
  ].join('\n');
}
