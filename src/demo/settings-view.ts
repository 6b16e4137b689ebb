import { el, ms, progressBar } from './dom.ts';
import type { AppContext } from './context.ts';
import { WORKBENCH_BACKENDS, MODEL_LABELS, type WorkbenchBackend, type WorkbenchModelChoice } from '../engine/workbench/workbench-protocol.ts';
import { saveSettings } from './settings.ts';
import { clipSection } from './clip-section.ts';
import { privacySection } from './privacy-section.ts';

export function settingsView(ctx: AppContext): HTMLElement {
  return el('section', { class: 'view', id: 'view-settings', 'aria-labelledby': 'tab-settings', hidden: true },
    modelSection(ctx),
    clipSection(ctx),
    privacySection(ctx),
  );
}

function modelSection(ctx: AppContext): HTMLElement {
  const model = el('select', { id: 'set-model', 'aria-label': 'Model' });
  const backend = el('select', { id: 'set-backend', 'aria-label': 'Compute backend' });
  for (const b of WORKBENCH_BACKENDS) backend.append(el('option', { value: b, text: b, selected: b === ctx.settings.backend }));
  const fillModels = (): void => {
    model.replaceChildren(el('option', { value: 'auto', text: MODEL_LABELS.auto }));
    for (const m of ctx.model.available) model.append(el('option', { value: m, text: MODEL_LABELS[m as WorkbenchModelChoice] ?? m }));
    model.value = ctx.settings.model;
  };
  fillModels();
  const apply = el('button', { type: 'button', class: 'btn primary', id: 'set-apply', text: 'Apply' });
  const measure = el('button', { type: 'button', class: 'btn', id: 'set-measure', text: 'Measure speed' });
  const bar = progressBar('Model loading');
  const readout = el('p', { id: 'speed-readout', 'aria-live': 'polite' });
  const active = el('p', { class: 'muted small', id: 'model-active' });
  const showActive = (): void => {
    const f = ctx.model.features;
    active.textContent = `Active: ${ctx.model.active} on ${ctx.model.backend}. ${ctx.model.note}` +
      (f ? `. Item text features (${f.encoder}): ${f.source === 'cache' ? 'read from this browser\'s cache' : 'computed and cached'} in ${ms(f.ms)}.` : '');
    active.dataset.features = f?.source ?? '';
  };
  showActive();

  apply.addEventListener('click', async () => {
    ctx.settings.model = model.value as WorkbenchModelChoice;
    ctx.settings.backend = backend.value as WorkbenchBackend;
    saveSettings(ctx.settings);
    apply.disabled = true;
    try {
      const info = await ctx.client.call({ kind: 'useModel', model: ctx.settings.model, backend: ctx.settings.backend },
        { onProgress: (p) => bar.set(p.stage, p.done, p.total) });
      ctx.setModel(info);
      showActive();
      fillModels();
      readout.textContent = '';
    } catch (error) {
      readout.textContent = `Could not switch: ${(error as Error).message}`;
    } finally {
      bar.hide();
      apply.disabled = false;
    }
  });
  measure.addEventListener('click', async () => {
    measure.disabled = true;
    readout.textContent = 'Measuring…';
    delete readout.dataset.ms;
    try {
      const r = await ctx.client.call({ kind: 'measure' });
      readout.textContent = `${r.backend}: one recommendation (every domain, history of 20) takes ${ms(r.recommendMs)} (median of 7)` +
        (r.matMulMs === undefined ? '.' : `; a 256×256×256 matMul takes ${ms(r.matMulMs)}.`);
      readout.dataset.ms = String(r.recommendMs);
    } catch (error) {
      readout.textContent = `Measurement failed: ${(error as Error).message}`;
    } finally {
      measure.disabled = false;
    }
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'set-model-title' },
    el('h2', { id: 'set-model-title', text: 'Model and backend' }),
    el('div', { class: 'form-grid' },
      el('label', { for: 'set-model', text: 'Model' }), model,
      el('label', { for: 'set-backend', text: 'Backend' }), backend),
    el('p', { class: 'muted small', text: 'auto prefers WebGPU on a real GPU and falls back by measured speed (a software WebGPU adapter loses to wasm on a CPU).' }),
    el('div', { class: 'toolbar' }, apply, measure),
    bar.root, active, readout,
  );
}
