/**
 * A fresh event id: 128 random bits as 22 URL-safe characters. getRandomValues works in
 * every context a shop may run in (randomUUID needs a secure one), in workers and in Node.
 */
export function newEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
