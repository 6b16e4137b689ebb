/** Text as HTML (element content or a double-quoted attribute): the shop's own text is never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The CLIP attributes of a bundle whose features come from `checkpoint` (`model@revision`): a
 * hub id as it is; a model folder's name under `{base}models/`, where the shop should serve it.
 */
function clipAttributes(root: string, checkpoint: string): string[] {
  const at = checkpoint.lastIndexOf('@');
  const [model, revision] = [checkpoint.slice(0, at), checkpoint.slice(at + 1)];
  const clip = model.includes('/') ? model : `${root}models/${model}`;
  return [`        data-clip="${escapeHtml(clip)}"`, ...(revision === 'main' ? [] : [`        data-clip-revision="${escapeHtml(revision)}"`])];
}

/** The tag a shop pastes to serve a bundle from `base` (the folder's URL path on its site). */
export function tagSnippet(base: string, domain: string, clipCheckpoint?: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  const lines = [
    '<script>window.hafrec = window.hafrec || [];</script>',
    `<script async src="${escapeHtml(root)}embed.js"`,
    `        data-catalog="${escapeHtml(root)}catalog.json"`,
    `        data-model="${escapeHtml(root)}model.json"`,
    `        data-domain="${escapeHtml(domain)}"`,
    ...(clipCheckpoint ? clipAttributes(root, clipCheckpoint) : []),
  ];
  return `${lines.join('\n')}></script>`;
}
