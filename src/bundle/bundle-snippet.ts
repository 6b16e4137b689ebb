/** A value as it must appear inside a double-quoted HTML attribute (domain names are the shop's own text). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The CLIP attributes of a bundle whose features come from `checkpoint` (`model@revision`): a
 * hub id as it is; a model folder's name under `{base}models/`, where the shop should serve it.
 */
function clipAttributes(root: string, checkpoint: string): string[] {
  const at = checkpoint.lastIndexOf('@');
  const [model, revision] = [checkpoint.slice(0, at), checkpoint.slice(at + 1)];
  const clip = model.includes('/') ? model : `${root}models/${model}`;
  return [`        data-clip="${attribute(clip)}"`, ...(revision === 'main' ? [] : [`        data-clip-revision="${attribute(revision)}"`])];
}

/** The tag a shop pastes to serve a bundle from `base` (the folder's URL path on its site). */
export function tagSnippet(base: string, domain: string, clipCheckpoint?: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  const lines = [
    '<script>window.hafrec = window.hafrec || [];</script>',
    `<script async src="${attribute(root)}embed.js"`,
    `        data-catalog="${attribute(root)}catalog.json"`,
    `        data-model="${attribute(root)}model.json"`,
    `        data-domain="${attribute(domain)}"`,
    ...(clipCheckpoint ? clipAttributes(root, clipCheckpoint) : []),
  ];
  return `${lines.join('\n')}></script>`;
}
