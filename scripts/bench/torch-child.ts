/**
 * The long-lived PyTorch process of the model-native bench (python/hafrec_torch/serve_bench.py):
 * started once, so its start-up and model load stay out of every timing, and asked one
 * JSON line at a time. The child times its own work; the pipe is never on the clock.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

/** /usr/bin/python3 is Debian's, the one with python3-torch; HAF_PYTHON picks another. */
const PYTHON = process.env.HAF_PYTHON ?? '/usr/bin/python3';

export interface TorchChildOptions {
  readonly data: string;
  readonly weights: string;
  readonly features: string;
  /** A folder put first on LD_LIBRARY_PATH: another libblas.so.3 for Debian's torch to call. */
  readonly libraryPath?: string;
}

/** What the child says once the model is loaded. */
export interface TorchReady {
  readonly torch: string;
  readonly threads: number;
  /** The BLAS library files the child mapped. */
  readonly blas: string;
}

/** One request's reply; `error` when the child refused it. */
type Reply = Record<string, unknown> & { readonly error?: string };

export class TorchChildError extends Error {
  override readonly name = 'TorchChildError';
}

export class TorchChild {
  private readonly lines: AsyncIterator<string>;
  private readonly stderr: string[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly reader: Interface,
  ) {
    this.lines = reader[Symbol.asyncIterator]();
    // Kept for the error message when the child dies (a missing torch, a bad feature file).
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
  }

  /** Starts the child and waits until its model is loaded. */
  static async start(options: TorchChildOptions): Promise<{ child: TorchChild; ready: TorchReady }> {
    const args = ['-m', 'hafrec_torch.serve_bench', '--data', options.data, '--weights', options.weights, '--features', options.features];
    // One thread everywhere: torch.set_num_threads does not reach an OpenBLAS's own pool.
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: 'python', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
    if (options.libraryPath) env.LD_LIBRARY_PATH = [options.libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    const proc = spawn(PYTHON, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const child = new TorchChild(proc, createInterface({ input: proc.stdout }));
    const ready = (await child.next()) as unknown as TorchReady & { ready?: boolean };
    if (!ready.ready) throw new TorchChildError(`python child did not get ready: ${JSON.stringify(ready)}`);
    return { child, ready: { torch: ready.torch, threads: ready.threads, blas: ready.blas } };
  }

  private async next(): Promise<Reply> {
    const line = await this.lines.next();
    if (line.done) throw new TorchChildError(`python child exited (${this.child.exitCode ?? 'no code'}): ${this.stderr.join('').trim().slice(-2000)}`);
    return JSON.parse(line.value) as Reply;
  }

  /** Sends one request and returns its reply; a refused request throws with the child's reason. */
  async request(body: Record<string, unknown>): Promise<Reply> {
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    const reply = await this.next();
    if (typeof reply.error === 'string') throw new TorchChildError(`python child: ${reply.error}`);
    return reply;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.exitCode === null) {
      this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
      await exited;
    }
    this.reader.close();
  }
}
