// Liveness and readiness. /readyz checks what the API cannot work without: the platform database
// and Temporal. Each check has a short timeout so a hung dependency reports instead of hanging.
import type { Router } from 'express';
import type { ApiDeps } from './deps';

async function timed(check: () => Promise<unknown>, timeoutMs = 2000): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function mountHealth(router: Router, deps: ApiDeps) {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      timed(() => deps.db.$queryRawUnsafe('SELECT 1')),
      timed(() => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = database.ok && temporal.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { database, temporal } });
  });
}
