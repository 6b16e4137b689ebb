// Node imports the package's Node-safe faces as a plain ES module consumer would.
const faces = ['hafrec', 'hafrec/catalog', 'hafrec/eval', 'hafrec/store', 'hafrec/model', 'hafrec/node'];
const loaded = {};
for (const face of faces) loaded[face] = Object.keys(await import(face)).length;
const { loadDataset } = await import('hafrec/node');
if (typeof loadDataset !== 'function') throw new Error('hafrec/node has no loadDataset');
console.log(JSON.stringify(loaded));
