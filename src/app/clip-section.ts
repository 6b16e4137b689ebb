import { el } from './dom.ts';
import type { AppContext } from './context.ts';
import { DEFAULT_CLIP_SOURCE, saveSettings } from './settings.ts';

/** Which CLIP checkpoint embeds item images and titles: the bundled fixture, a hub id or a URL. */
export function clipSection(ctx: AppContext): HTMLElement {
  const source = el('input', { id: 'clip-source', type: 'text', value: ctx.settings.clipSource, spellcheck: false, 'aria-describedby': 'clip-help' });
  const save = el('button', { type: 'button', class: 'btn', id: 'clip-save', text: 'Save' });
  const reset = el('button', { type: 'button', class: 'btn', text: 'Use the bundled tiny fixture' });
  const status = el('p', { class: 'muted small', id: 'clip-status', 'aria-live': 'polite' });
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
    el('div', { class: 'toolbar' }, save, reset),
    status,
  );
}
