/**
 * The widget's stylesheet. Every visual choice is a CSS custom property set on the element
 * (or any ancestor), so a store themes it without reaching into the shadow root.
 */
export const WIDGET_CSS = `
:host { display: block; font-family: var(--hafrec-font, inherit); color: var(--hafrec-text, inherit); }
:host([hidden]), :host([data-state="error"]), :host([data-state="empty"]) { display: none; }
h2 { font-size: var(--hafrec-heading-size, 1.15em); margin: 0 0 var(--hafrec-gap, 12px); }
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--hafrec-gap, 12px);
  grid-template-columns: repeat(var(--hafrec-columns, auto-fill), minmax(var(--hafrec-card-min-width, 160px), 1fr)); }
li { display: flex; flex-direction: column; background: var(--hafrec-card-background, #fff);
  border: var(--hafrec-card-border, 1px solid #ddd); border-radius: var(--hafrec-card-radius, 8px);
  padding: var(--hafrec-card-padding, 10px); overflow: hidden; }
a { color: var(--hafrec-link, var(--hafrec-accent, inherit)); text-decoration: none; display: flex; flex-direction: column; gap: 6px; }
a:hover .title, a:focus-visible .title { text-decoration: underline; }
img { width: 100%; height: var(--hafrec-image-height, 120px); object-fit: var(--hafrec-image-fit, contain);
  border-radius: calc(var(--hafrec-card-radius, 8px) / 2); }
li.text-card { background: var(--hafrec-text-card-background, var(--hafrec-card-background, #fff)); }
.title { font-weight: 600; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.price { color: var(--hafrec-muted, #666); }
.reason { margin: 6px 0 0; font-size: var(--hafrec-reason-size, 0.85em); color: var(--hafrec-muted, #666);
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
`;

let shared: CSSStyleSheet | undefined;

/** Constructable stylesheet (no inline <style>, so no 'unsafe-inline' under a strict CSP); <style> fallback otherwise. */
export function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(WIDGET_CSS);
    }
    root.adoptedStyleSheets = [shared];
    return;
  }
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  root.append(style);
}
