import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Streams lines to a file while hashing them (the SHA-256 goes into SHA256SUMS); respects backpressure. */
export class HashingWriter {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private buffer: string[] = [];
  private buffered = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  async line(text: string): Promise<void> {
    this.buffer.push(text, '\n');
    this.buffered += text.length + 1;
    if (this.buffered >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    this.hash.update(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Closes the file; resolves its SHA-256 (hex). */
  async close(): Promise<string> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    return this.hash.digest('hex');
  }
}
