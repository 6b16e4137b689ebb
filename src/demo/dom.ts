/** Tiny DOM builder. Text always goes through textContent: catalog data is never parsed as HTML. */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(node: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function ms(x: number): string {
  return x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`;
}

/** A <progress> with a live label; hidden when idle. */
export interface ProgressBar {
  readonly root: HTMLElement;
  set(label: string, done: number, total: number): void;
  hide(): void;
}

export function progressBar(name: string): ProgressBar {
  const bar = el('progress', { max: 1, value: 0, 'aria-label': name });
  const label = el('span', { class: 'progress-label', 'aria-live': 'polite' });
  const root = el('div', { class: 'progress', hidden: true }, bar, label);
  return {
    root,
    set(text, done, total) {
      root.hidden = false;
      bar.max = Math.max(total, 1);
      bar.value = done;
      label.textContent = total > 1 ? `${text} (${done.toLocaleString()} / ${total.toLocaleString()})` : text;
    },
    hide() {
      root.hidden = true;
    },
  };
}
