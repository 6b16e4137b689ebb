import { describe, expect, it } from 'vitest';
import { connectWorker } from './worker-connection.ts';
import type { RpcCall, RpcReply } from './rpc.ts';
import { WorkerStartError } from './errors.ts';

type Request = { readonly kind: 'echo'; readonly text: string };
interface Results {
  echo: string;
}

/** A dedicated worker as the page sees it, answering `echo` calls; `crash()` fires its error event. */
function fakeWorker() {
  const sent: RpcCall<Request>[] = [];
  const worker = {
    terminated: false,
    onmessage: null as ((event: MessageEvent<RpcReply<never>>) => void) | null,
    onerror: null as ((event: Event) => void) | null,
    postMessage(call: RpcCall<Request>) {
      sent.push(call);
      if (call.type === 'call') queueMicrotask(() => worker.onmessage?.({ data: { id: call.id, type: 'result', value: call.request.text } } as MessageEvent));
    },
    terminate() {
      worker.terminated = true;
    },
  };
  // Node has no ErrorEvent: an Event with the message an ErrorEvent carries.
  const crash = (): void => worker.onerror?.(Object.assign(new Event('error'), { message: 'SyntaxError: bad script' }));
  return { worker, sent, crash };
}

describe('connectWorker', () => {
  it('routes calls and their answers through the worker', async () => {
    const { worker, sent } = fakeWorker();
    const { rpc } = connectWorker<Request, Results, never>(worker as unknown as Worker, (d) => new WorkerStartError('w.js', d, 'serve it'));
    expect(await rpc.call({ kind: 'echo', text: 'hi' })).toBe('hi');
    expect(sent).toEqual([{ id: 1, type: 'call', request: { kind: 'echo', text: 'hi' } }]);
  });

  it('a worker error rejects the calls in flight with the typed failure, then runs onFail; close terminates', async () => {
    const { worker, crash } = fakeWorker();
    worker.postMessage = (() => undefined) as typeof worker.postMessage;
    const failed: Event[] = [];
    const { rpc, close } = connectWorker<Request, Results, never>(
      worker as unknown as Worker,
      (detail) => new WorkerStartError('w.js', detail, 'serve it next to embed.js'),
      (event) => failed.push(event),
    );
    const pending = rpc.call({ kind: 'echo', text: 'lost' });
    crash();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerStartError);
    expect(error).toMatchObject({ worker: 'w.js', detail: 'SyntaxError: bad script' });
    expect(failed).toHaveLength(1);
    expect(worker.terminated).toBe(false);
    close();
    expect(worker.terminated).toBe(true);
  });
});
