import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.ts';

/** A live line chart (uPlot) of one value against the training step. */
export interface LiveChart {
  readonly root: HTMLElement;
  push(step: number, value: number): void;
  reset(): void;
  readonly points: number;
}

export function liveChart(title: string, label: string, color: string): LiveChart {
  const host = el('div', { class: 'chart', role: 'img', 'aria-label': title });
  const caption = el('p', { class: 'muted small chart-last', 'aria-live': 'off' });
  const root = el('figure', { class: 'chart-figure' }, el('figcaption', { text: title }), host, caption);
  const xs: number[] = [];
  const ys: number[] = [];
  let plot: uPlot | undefined;
  const ensure = (): uPlot => {
    plot ??= new uPlot(
      {
        width: Math.max(280, host.clientWidth || 420),
        height: 200,
        scales: { x: { time: false } },
        axes: [{ label: 'step' }, { label }],
        series: [{ label: 'step' }, { label, stroke: color, width: 2, points: { show: true, size: 5 } }],
        legend: { show: false },
      },
      [xs, ys],
      host,
    );
    return plot;
  };
  new ResizeObserver(() => plot?.setSize({ width: Math.max(280, host.clientWidth), height: 200 })).observe(host);
  return {
    root,
    push(step, value) {
      xs.push(step);
      ys.push(value);
      ensure().setData([xs, ys]);
      caption.textContent = `last: ${value.toFixed(4)} at step ${step}`;
      host.dataset.points = String(xs.length);
    },
    reset() {
      xs.length = 0;
      ys.length = 0;
      plot?.setData([xs, ys]);
      caption.textContent = '';
      host.dataset.points = '0';
    },
    get points() {
      return xs.length;
    },
  };
}
