import { el, progressBar } from './dom.ts';
import type { AppContext } from './context.ts';
import { WORKBENCH_BACKENDS, type TrainMode, type TrainRequest } from '../engine/workbench/workbench-protocol.ts';
import { liveChart } from './train-chart.ts';
import { isHafKind } from '../engine/model-kinds.ts';

function numberField(id: string, label: string, value: number, attrs: Record<string, string | number> = {}): [HTMLLabelElement, HTMLInputElement] {
  const input = el('input', { id, type: 'number', value, min: 1, ...attrs });
  return [el('label', { for: id, text: label }), input];
}

/** Train HAF in the worker (from scratch or fine-tuning), with live curves, stop/resume and save. */
export function trainView(ctx: AppContext): HTMLElement {
  const mode = el('select', { id: 'train-mode', 'aria-label': 'Training mode' },
    el('option', { value: 'finetune', text: 'Fine-tune the current HAF weights' }),
    el('option', { value: 'scratch', text: 'Train from scratch' }));
  const backend = el('select', { id: 'train-backend', 'aria-label': 'Training backend' });
  for (const b of WORKBENCH_BACKENDS) backend.append(el('option', { value: b, text: b, selected: b === ctx.settings.backend }));
  const [stepsLabel, steps] = numberField('train-steps', 'Steps', 40);
  const [batchLabel, batch] = numberField('train-batch', 'Positions per batch', 256);
  const [negLabel, negatives] = numberField('train-negatives', 'Negatives per domain', 1024);
  const [lrLabel, lr] = numberField('train-lr', 'Learning rate', 0.001, { step: 0.0001, min: 0.00001 });
  const [everyLabel, every] = numberField('train-every', 'Validate every (steps)', 10);
  const [usersLabel, users] = numberField('train-users', 'Validation shoppers (0: none)', 200, { min: 0 });
  const start = el('button', { type: 'button', class: 'btn primary', id: 'train-start', text: 'Start' });
  const stop = el('button', { type: 'button', class: 'btn', id: 'train-stop', text: 'Stop', disabled: true });
  const resume = el('button', { type: 'button', class: 'btn', id: 'train-resume', text: 'Resume', disabled: !ctx.model.canResume });
  const save = el('button', { type: 'button', class: 'btn', id: 'train-save', text: 'Save to this browser', disabled: true });
  const bar = progressBar('Training progress');
  const status = el('p', { id: 'train-status', 'aria-live': 'polite' });
  const loss = liveChart('Training loss (sampled softmax)', 'loss', '#b4532a');
  const valid = liveChart('Validation NDCG@10 (sampled, first shoppers of valid)', 'NDCG@10', '#2457d6');
  let controller: AbortController | undefined;

  const request = (m: TrainMode): TrainRequest => ({
    mode: m,
    backend: backend.value as TrainRequest['backend'],
    steps: Math.max(1, Number(steps.value)),
    batchPositions: Math.max(1, Number(batch.value)),
    negatives: Math.max(1, Number(negatives.value)),
    learningRate: Number(lr.value),
    validEvery: Math.max(1, Number(every.value)),
    validUsers: Math.max(0, Number(users.value)),
  });
  const run = async (m: TrainMode): Promise<void> => {
    if (m !== 'resume') {
      loss.reset();
      valid.reset();
    }
    controller = new AbortController();
    for (const b of [start, resume, save]) b.disabled = true;
    stop.disabled = false;
    bar.set('Preparing training (features, model, backend)…', 0, 1);
    try {
      const summary = await ctx.client.call({ kind: 'train', train: request(m) }, {
        signal: controller.signal,
        onProgress: (p) => {
          bar.set(p.stage, p.done, p.total);
          const v = p.values;
          if (!v || v.step === undefined) return;
          loss.push(v.step, v.loss!);
          if (v.valid !== undefined) valid.push(v.step, v.valid);
          status.textContent = `step ${v.step} · loss ${v.loss!.toFixed(4)} · ${Math.round(v.positionsPerSecond!)} positions/s` +
            (v.valid === undefined ? '' : ` · valid NDCG@10 ${v.valid.toFixed(4)}`);
        },
      });
      status.textContent = `${summary.stopped ? 'Stopped' : 'Done'} at step ${summary.step} on ${summary.backend} in ${summary.seconds.toFixed(1)} s` +
        ` · loss ${summary.loss.toFixed(4)}${summary.valid === undefined ? '' : ` · valid NDCG@10 ${summary.valid.toFixed(4)}`}. Recommendations now use these weights.`;
      status.dataset.step = String(summary.step);
      // The new weights in the chosen HAF view (the blend by default; HAF alone when picked).
      const view = isHafKind(ctx.settings.model) ? ctx.settings.model : 'auto';
      ctx.setModel(await ctx.client.call({ kind: 'useModel', model: view, backend: request(m).backend }));
      resume.disabled = false;
      save.disabled = false;
    } catch (error) {
      status.textContent = `Training failed: ${(error as Error).message}`;
      resume.disabled = !ctx.model.canResume;
    } finally {
      bar.hide();
      start.disabled = false;
      stop.disabled = true;
    }
  };
  start.addEventListener('click', () => void run(mode.value as TrainMode));
  resume.addEventListener('click', () => void run('resume'));
  stop.addEventListener('click', () => controller?.abort());
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      ctx.setModel(await ctx.client.call({ kind: 'saveTrained' }));
      status.textContent = 'Saved to this browser (IndexedDB): the demo loads these weights next time.';
      status.dataset.saved = 'true';
    } catch (error) {
      status.textContent = `Saving failed: ${(error as Error).message}`;
      save.disabled = false;
    }
  });

  return el('section', { class: 'view', id: 'view-train', 'aria-labelledby': 'tab-train', hidden: true },
    el('section', { class: 'panel' },
      el('h2', { text: 'Train HAF in your browser' }),
      el('p', { class: 'muted small', text: `On the bundled Food-Kitchen training set (51,164 shoppers), in a worker. Text features are lexical n-grams of the titles (no CLIP weights ship with the demo). ${ctx.model.hafProblem ? `Note: ${ctx.model.hafProblem}; fine-tuning starts from scratch.` : ''}` }),
      el('div', { class: 'form-grid' },
        el('label', { for: 'train-mode', text: 'Mode' }), mode,
        el('label', { for: 'train-backend', text: 'Backend' }), backend,
        stepsLabel, steps, batchLabel, batch, negLabel, negatives, lrLabel, lr, everyLabel, every, usersLabel, users),
      el('div', { class: 'toolbar' }, start, stop, resume, save),
      bar.root, status),
    el('div', { class: 'charts' }, loss.root, valid.root),
  );
}
