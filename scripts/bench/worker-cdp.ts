import type { Browser, CDPSession } from '@playwright/test';
import { BenchSetupError } from './bench-errors.ts';

/**
 * The DevTools protocol on a worker of the browser: Playwright opens CDP sessions on pages
 * and frames only, so the browser's session attaches to the worker target (non-flattened) and
 * carries each command inside Target.sendMessageToTarget.
 */
export interface WorkerCdp {
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
  detach(): Promise<void>;
}

const REPLY_MS = 60_000;

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

/** Attaches to the browser's worker target whose URL ends with `urlSuffix` (e.g. "/embed-worker.js"). */
export async function attachWorker(browser: Browser, urlSuffix: string): Promise<WorkerCdp> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.find((t) => /worker/.test(t.type) && t.url.endsWith(urlSuffix));
  if (!target) throw new BenchSetupError(`no worker target at *${urlSuffix} (targets: ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')})`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  const waiting = new Map<number, (reply: Reply) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    const reply = JSON.parse(event.message) as Reply;
    if (event.sessionId === sessionId) waiting.get(reply.id)?.(reply);
  });
  let next = 0;
  return {
    async send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = ++next;
      // Some commands never answer on a worker target (Runtime.queryObjects did not): fail, not hang the bench.
      let timer: NodeJS.Timeout | undefined;
      const reply = new Promise<Reply>((resolve, reject) => {
        waiting.set(id, resolve);
        timer = setTimeout(() => reject(new BenchSetupError(`${method} on the worker: no answer within ${REPLY_MS / 1000} s`)), REPLY_MS);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      const { result, error } = await reply.finally(() => (clearTimeout(timer), waiting.delete(id)));
      if (error) throw new BenchSetupError(`${method} on the worker: ${error.message}`);
      return result as T;
    },
    detach: () => cdp.detach(),
  };
}
