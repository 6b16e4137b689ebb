/**
 * What page and worker code sees of `sharp` (tsconfig.page.json and tsconfig.worker.json map
 * the name here). transformers.js's types name sharp (RawImage.toSharp), which only runs in
 * Node, and sharp's own types reference all of @types/node: without this, every page and
 * worker file would see Node's globals (process, Buffer) and no error would show it.
 */
export interface Sharp {
  readonly 'sharp runs in Node only': never;
}
