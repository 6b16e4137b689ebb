import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistoryStore } from './history-store.ts';
import { readCatalogItems, readModel, saveCatalogCopy, saveCatalogItems, saveModel } from './asset-cache.ts';

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

  it('saveCatalogCopy rewrites a catalog only when its version changed', async () => {
    const store = await openHistoryStore({ retention: {}, name: `cache-${Math.random()}`, broadcast: false });
    const db = await store.db();
    await saveCatalogCopy(db, 'https://s/c.json', [{ id: 'a', domain: 'd' }], '"v1"');
    // Same version: the stored copy is kept as it is (here: not replaced by the new list).
    await saveCatalogCopy(db, 'https://s/c.json', [{ id: 'b', domain: 'd' }], '"v1"');
    expect((await readCatalogItems(db, 'https://s/c.json'))!.map((i) => i.id)).toEqual(['a']);
    await saveCatalogCopy(db, 'https://s/c.json', [{ id: 'b', domain: 'd' }], '"v2"');
    expect((await readCatalogItems(db, 'https://s/c.json'))!.map((i) => i.id)).toEqual(['b']);
    // No version from the server: always written.
    await saveCatalogCopy(db, 'https://s/c.json', [{ id: 'c', domain: 'd' }], '');
    expect((await readCatalogItems(db, 'https://s/c.json'))!.map((i) => i.id)).toEqual(['c']);
    store.close();
  });
});
