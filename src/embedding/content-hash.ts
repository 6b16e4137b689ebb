/**
 * Content hashes that key cached embeddings: a changed title or image changes the hash and
 * invalidates exactly that item. Image URLs hash as strings (storefronts version image URLs;
 * hashing bytes would mean fetching every image on every visit); data: URLs and Blobs are content.
 */
import type { ImageInput } from './clip-embedder.ts';

async function sha256Hex(bytes: Parameters<typeof globalThis.crypto.subtle.digest>[1]): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function hashText(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(`text\u0000${text}`));
}

export async function hashImage(image: ImageInput): Promise<string> {
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    const bytes = new Uint8Array(await image.arrayBuffer());
    const tagged = new Uint8Array(bytes.length + 6);
    tagged.set(new TextEncoder().encode('blob\u0000\u0000'), 0);
    tagged.set(bytes, 6);
    return sha256Hex(tagged);
  }
  return sha256Hex(new TextEncoder().encode(`url\u0000${String(image)}`));
}
