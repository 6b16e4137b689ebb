import { el } from './dom.ts';
import type { AppContext } from './context.ts';

/** Consent, export (a JSON download) and delete-everything, all on the shopper's device. */
export function privacySection(ctx: AppContext): HTMLElement {
  const consent = el('input', { type: 'checkbox', id: 'consent' });
  const status = el('p', { class: 'muted small', id: 'privacy-status', 'aria-live': 'polite' });
  const exportButton = el('button', { type: 'button', class: 'btn', id: 'export', text: 'Export my data (JSON)' });
  const deleteButton = el('button', { type: 'button', class: 'btn danger', id: 'delete', text: 'Delete everything' });
  void ctx.history.consent().then((granted) => (consent.checked = granted));

  consent.addEventListener('change', async () => {
    await ctx.history.setConsent(consent.checked);
    status.textContent = consent.checked
      ? 'History is recorded again (in this browser only).'
      : 'Nothing is recorded; what was stored has been deleted.';
  });
  exportButton.addEventListener('click', async () => {
    const data = await ctx.history.exportJson();
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = el('a', { href: url, download: `hafrec-history-${new Date().toISOString().slice(0, 10)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = `Exported ${data.events.length} events.`;
  });
  deleteButton.addEventListener('click', async () => {
    if (!window.confirm('Delete your whole history from this browser? This cannot be undone.')) return;
    await ctx.history.forget();
    status.textContent = 'Your history was deleted from this browser.';
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'privacy-title' },
    el('h2', { id: 'privacy-title', text: 'Privacy' }),
    el('p', { text: 'Your history, the model weights and the item features live in this browser (IndexedDB). Nothing about you is sent anywhere: the app only downloads its own static files.' }),
    el('label', { class: 'check' }, consent, ' Record my views and cart (needed for personal recommendations)'),
    el('div', { class: 'toolbar' }, exportButton, deleteButton),
    status,
  );
}
