import { el, progressBar } from './dom.ts';
import type { AppContext } from './context.ts';

/** The eval CLI's table, computed in the worker by the same `evaluate`, with progress and cancel. */
export function benchmarkPanel(ctx: AppContext): HTMLElement {
  const split = el('select', { id: 'bench-split', 'aria-label': 'Split' }, el('option', { value: 'test', text: 'test' }), el('option', { value: 'valid', text: 'valid' }));
  const limit = el('input', { id: 'bench-limit', type: 'number', min: 1, placeholder: 'all', size: 6, 'aria-label': 'Number of shoppers (blank for all)' });
  const full = el('input', { id: 'bench-full', type: 'checkbox', checked: true });
  const run = el('button', { type: 'button', class: 'btn primary', id: 'bench-run', text: 'Run benchmark' });
  const cancel = el('button', { type: 'button', class: 'btn', id: 'bench-cancel', text: 'Cancel', disabled: true });
  const bar = progressBar('Benchmark progress');
  const status = el('p', { class: 'muted small', id: 'bench-status', 'aria-live': 'polite' });
  const out = el('pre', { class: 'report', id: 'bench-table', tabindex: 0, 'aria-label': 'Benchmark table' });
  let controller: AbortController | undefined;

  run.addEventListener('click', async () => {
    controller = new AbortController();
    run.disabled = true;
    cancel.disabled = false;
    const n = limit.value.trim() === '' ? undefined : Math.max(1, Number(limit.value));
    const chosen = split.value as 'valid' | 'test';
    status.textContent = '';
    bar.set(`Evaluating ${ctx.model.active} on ${chosen}`, 0, 1);
    try {
      const result = await ctx.client.call(
        { kind: 'evaluate', split: chosen, full: full.checked, ...(n === undefined ? {} : { limit: n }) },
        { signal: controller.signal, onProgress: (p) => bar.set(p.stage, p.done, p.total) },
      );
      out.textContent = result.table;
      out.dataset.report = JSON.stringify(result.report);
      status.textContent = `${(result.ms / 1000).toFixed(1)} s in the worker. Same code and numbers as: npm run eval -- --model ${result.report.model} --split ${chosen}${full.checked ? '' : ' --no-full'} --json` +
        (n === undefined ? '' : ` (first ${n} shoppers only)`);
    } catch (error) {
      status.textContent = (error as Error).name === 'CancelledError' ? 'Cancelled.' : `Benchmark failed: ${(error as Error).message}`;
    } finally {
      bar.hide();
      run.disabled = false;
      cancel.disabled = true;
    }
  });
  cancel.addEventListener('click', () => controller?.abort());

  return el('section', { class: 'bench', 'aria-labelledby': 'bench-title' },
    el('h2', { id: 'bench-title', text: 'Benchmark (the eval protocol, in your browser)' }),
    el('p', { class: 'muted small', text: 'Each shopper\'s last item is held out and ranked against its 999 fixed negatives (sampled) and against its whole domain (full). Ties count against the model.' }),
    el('div', { class: 'toolbar' },
      el('label', {}, 'Split ', split),
      el('label', {}, 'Shoppers ', limit),
      el('label', {}, full, ' full ranking'),
      run, cancel),
    bar.root, status, out,
  );
}
