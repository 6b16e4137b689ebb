import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistoryStore } from './history-store.ts';
import { readCatalogItems, readModel, saveCatalogItems, saveModel } from './asset-cache.ts';
import { deleteHafrecDb, openHafrecDb } from './open-db.ts';

describe('offline asset cache', () => {
  it('keeps catalog order per catalog URL and replaces a catalog wholesale', async () => {
    const store = await openHistoryStore({ retention: {}, name: `cache-${Math.random()}`, broadcast: false });
    const db = await openHafrecDb(store.name);
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
    db.close();
    store.close();
  });

  it("store.assets() reads and writes the copies without handing out the database, and follows the consent wipe", async () => {
    const store = await openHistoryStore({ retention: {}, name: `assets-${Math.random()}`, broadcast: false, now: () => 42 });
    const db = await openHafrecDb(store.name);
    await saveCatalogItems(db, 'https://s/c.json', [{ id: 'b', domain: 'd' }, { id: 'a', domain: 'd' }]);
    const assets = store.assets();
    expect((await assets.readCatalogItems('https://s/c.json'))!.map((i) => i.id)).toEqual(['b', 'a']);
    await assets.saveModel('https://s/m.json', { kind: 'popularity' });
    expect(await assets.readModel('https://s/m.json')).toEqual({ kind: 'popularity' });
    expect((await db.get('models', 'https://s/m.json'))?.savedAt).toBe(42);
    const copy = { body: Uint8Array.from([1, 2]).buffer, type: 'application/json', version: '"v1"' };
    await assets.saveFileCopy('https://s/w.bin', copy);
    expect(await assets.readFileCopy('https://s/w.bin')).toEqual(copy);
    expect('db' in store).toBe(false);
    await store.setConsent(false);
    expect(await assets.readFileCopy('https://s/w.bin')).toBeUndefined();
    expect(await assets.readCatalogItems('https://s/c.json')).toBeUndefined();
    db.close();
    store.close();
  });

  it('store.assets() keeps working after another tab deleted the database (the connection stepped aside)', async () => {
    const store = await openHistoryStore({ retention: {}, name: `assets-${Math.random()}`, broadcast: false });
    const assets = store.assets();
    await assets.saveModel('https://s/m.json', { kind: 'popularity' });
    await deleteHafrecDb(store.name);
    expect(await assets.readModel('https://s/m.json')).toBeUndefined();
    await assets.saveModel('https://s/m.json', { kind: 'cooccurrence' });
    expect(await assets.readModel('https://s/m.json')).toEqual({ kind: 'cooccurrence' });
    store.close();
  });
});
