// Health beyond "the workflow says running": a sweep asks the providers about every running
// instance and records when an app turns unhealthy (or recovers), so the console never shows a
// broken app as simply "running"; and a check of the platform's own dependencies for operators.
import pg from 'pg';
import type { ProviderName, ResolvedSpec } from '../lib/catalog';
import type { ActivityDeps } from '.';
import type { InstanceTarget, ServiceHealth } from './providers/contract';

const SWEEP_CONCURRENCY = 8;

export function createHealthActivities(deps: ActivityDeps) {
  const { db } = deps;

  async function targetsOf(provider: ProviderName): Promise<{ target: InstanceTarget; healthy: boolean | null }[]> {
    const rows = await db.instance.findMany({
      where: { provider, phase: 'running' },
      include: { tenant: { select: { slug: true, name: true } } },
      orderBy: { healthCheckedAt: { sort: 'asc', nulls: 'first' } },
      take: 500,
    });
    return rows.map((r) => ({
      healthy: r.healthy,
      target: {
        instanceId: r.id,
        tenantId: r.tenantId,
        tenantSlug: r.tenant.slug,
        tenantName: r.tenant.name,
        name: r.name,
        provider,
        spec: r.spec as unknown as ResolvedSpec,
        credentialId: r.credentialId,
      },
    }));
  }

  return {
    /** Checks up to 500 running instances of one provider (least recently checked first); records changes only. */
    async sweepInstanceHealth(provider: ProviderName, nowIso: string): Promise<{ checked: number; changed: number }> {
      const p = deps.providers[provider];
      if (!p) return { checked: 0, changed: 0 };
      const queue = await targetsOf(provider);
      let changed = 0;
      const check = async ({ target, healthy }: (typeof queue)[number]) => {
        let nowHealthy: boolean;
        let detail: string;
        try {
          const s = await p.status(target);
          nowHealthy = s.state === 'running' && s.healthy !== false;
          detail = s.state === 'running' ? (s.healthy === false ? `the app reports unhealthy (${s.detail ?? 'health check failing'})` : 'healthy again') : `the provider reports it ${s.state}${s.detail ? ` (${s.detail})` : ''}`;
        } catch (err) {
          nowHealthy = false;
          detail = `health unknown: ${(err as Error).message}`;
        }
        await db.instance.update({ where: { id: target.instanceId }, data: { healthCheckedAt: new Date(nowIso) } });
        if (nowHealthy === (healthy ?? true)) return;
        changed += 1;
        await db.$transaction([
          db.instance.update({ where: { id: target.instanceId }, data: { healthy: nowHealthy, statusMessage: nowHealthy ? null : detail } }),
          db.instanceEvent.createMany({
            data: [{ instanceId: target.instanceId, tenantId: target.tenantId, at: new Date(nowIso), level: nowHealthy ? 'info' : 'warn', message: detail, dedupeKey: `health:${target.instanceId}:${nowIso}` }],
            skipDuplicates: true,
          }),
        ]);
      };
      for (let i = 0; i < queue.length; i += SWEEP_CONCURRENCY) await Promise.all(queue.slice(i, i + SWEEP_CONCURRENCY).map(check));
      return { checked: queue.length, changed };
    },

    /** The platform database, the tenant Postgres and every configured provider's service. */
    async platformHealth(): Promise<Record<string, ServiceHealth>> {
      const out: Record<string, ServiceHealth> = {};
      const timed = async (name: string, fn: () => Promise<ServiceHealth>) => {
        try {
          out[name] = await Promise.race([fn(), new Promise<ServiceHealth>((r) => setTimeout(() => r({ ok: false, detail: 'no answer within 8 s' }), 8000).unref())]);
        } catch (err) {
          out[name] = { ok: false, detail: (err as Error).message };
        }
      };
      await Promise.all([
        timed('platform-postgres', async () => {
          await db.$queryRawUnsafe('SELECT 1');
          return { ok: true, detail: 'answers' };
        }),
        timed('tenant-postgres', async () => {
          const c = new pg.Client({ connectionString: deps.tenantDb.adminUrl, connectionTimeoutMillis: 5000 });
          await c.connect();
          try {
            const r = await c.query("SELECT count(*)::int AS apps FROM pg_roles WHERE rolname LIKE 'app\\_%'");
            return { ok: true, detail: `answers; ${r.rows[0].apps} app role(s)` };
          } finally {
            await c.end();
          }
        }),
        ...Object.entries(deps.providers).map(([name, provider]) => timed(name, () => provider?.health?.() ?? Promise.resolve({ ok: true, detail: 'no health check' }))),
      ]);
      return out;
    },
  };
}
