import { el } from './dom.ts';
import type { AppContext } from './context.ts';
import { DEFAULT_CLIP_SOURCE, saveSettings } from './settings.ts';
import type { EmbeddingClient } from '../engine/embedding-client.ts';

/** The bundled fixture's folder, relative to the page. */
export const TINY_CLIP_URL = './models/tiny-clip/';

/** Which CLIP checkpoint embeds item images and titles: the bundled fixture, a hub id or a URL. */
export function clipSection(ctx: AppContext): HTMLElement {
  const source = el('input', { id: 'clip-source', type: 'text', value: ctx.settings.clipSource, spellcheck: false, 'aria-describedby': 'clip-help' });
  const save = el('button', { type: 'button', class: 'btn', id: 'clip-save', text: 'Save' });
  const reset = el('button', { type: 'button', class: 'btn', text: 'Use the bundled tiny fixture' });
  const status = el('p', { class: 'muted small', id: 'clip-status', 'aria-live': 'polite' });
  const test = el('button', { type: 'button', class: 'btn primary', id: 'clip-test', text: 'Load and embed sample titles' });
  let client: EmbeddingClient | undefined;
  test.addEventListener('click', async () => {
    test.disabled = true;
    status.textContent = 'Loading CLIP in the engine worker…';
    try {
      const { createEmbeddingClient } = await import('../engine/embedding-client.ts');
      // The demo's own engine: CLIP loads beside its dataset, and each load replaces the last model.
      client ??= createEmbeddingClient(ctx.client);
      const source = ctx.settings.clipSource === DEFAULT_CLIP_SOURCE ? TINY_CLIP_URL : ctx.settings.clipSource;
      const info = await client.load({ model: source, modalities: ['text'], cacheName: null },
        (p) => (status.textContent = `CLIP: ${p.status}…`));
      const titles = ctx.catalog.titles.slice(0, 16);
      const t0 = performance.now();
      const vectors = await client.embedTexts(titles);
      const each = (performance.now() - t0) / titles.length;
      status.textContent = `${info.model} on ${info.device ?? '?'}: ${vectors.length} titles embedded, dim ${vectors[0]?.length ?? 0}, ${each.toFixed(1)} ms per title.`;
      status.dataset.dim = String(vectors[0]?.length ?? 0);
    } catch (error) {
      status.textContent = `CLIP could not load: ${(error as Error).message}`;
    } finally {
      test.disabled = false;
    }
  });
  save.addEventListener('click', () => {
    ctx.settings.clipSource = source.value.trim() || DEFAULT_CLIP_SOURCE;
    source.value = ctx.settings.clipSource;
    saveSettings(ctx.settings);
    status.textContent = `Saved: ${ctx.settings.clipSource}`;
  });
  reset.addEventListener('click', () => {
    source.value = DEFAULT_CLIP_SOURCE;
    save.click();
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'clip-title' },
    el('h2', { id: 'clip-title', text: 'CLIP model source' }),
    el('label', { for: 'clip-source', text: 'Checkpoint' }),
    source,
    el('p', { class: 'muted small', id: 'clip-help', text: '"tiny-clip" is the bundled random-weight fixture (works offline, meaningless vectors). Give a Hugging Face id such as Xenova/clip-vit-base-patch32, or the URL of a folder in the hub layout served by your store.' }),
    el('div', { class: 'toolbar' }, save, reset, test),
    status,
  );
}
