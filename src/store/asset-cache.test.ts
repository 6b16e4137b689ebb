import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistoryStore } from './history-store.ts';
import { readCatalogItems, readModel, saveCatalogItems, saveModel } from './asset-cache.ts';

describe('offline asset cache', () => {
  it('keeps catalog order per catalog URL and replaces a catalog wholesale', async () => {
    const store = await openHistoryStore({ retention: {}, name: `cache-${Math.random()}`, broadcast: false });
    const db = await store.db();
    await saveCatalogItems(db, 'https://s/a.json', [{ id: 'z', domain: 'd' }, { id: 'a', domain: 'd' }, { id: 'm', domain: 'e' }]);
    await saveCatalogItems(db, 'https://s/b.json', [{ id: 'q', domain: 'd' }]);
    expect((await readCatalogItems(db, 'https://s/a.json'))!.map((i) => i.id)).toEqual(['z', 'a', 'm']);
    await saveCatalogItems(db, 'https://s/a.json', [{ id: 'n', domain: 'd' }]);
    expect((await readCatalogItems(db, 'https://s/a.json'))!.map((i) => i.id)).toEqual(['n']);
    expect((await readCatalogItems(db, 'https://s/b.json'))!.map((i) => i.id)).toEqual(['q']);
    expect(await readCatalogItems(db, 'https://s/none.json')).toBeUndefined();
    await saveModel(db, 'https://s/m.json', { kind: 'cooccurrence' });
    expect(await readModel(db, 'https://s/m.json')).toEqual({ kind: 'cooccurrence' });
    await store.setConsent(false);
    expect(await readModel(db, 'https://s/m.json')).toBeUndefined();
    store.close();
  });
});
