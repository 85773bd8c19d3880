// Billing as the organization sees it: balance, burn rate and runway, trial and suspension, budget
// thresholds and notices; the ledger; usage series for charts; cost estimates. All amounts come
// from integer micro-credits in the database (ledger, usage segments × prices of the plan).
import { z } from 'zod';
import { BUDGET_THRESHOLDS } from '../../activities/platform/billing';
import { budgetPercent, crossedThresholds, MONTHLY_BUDGET_THRESHOLDS, monthlyUsageMicro, monthOf } from '../../lib/budget';
import { CATALOG, type ProviderName } from '../../lib/catalog';
import { burnPerMinute, microMillis, segmentsWithRates, type MeteredSegment } from '../../lib/metering';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import { money, moneySchema } from '../money';
import { idCursorSchema, limitSchema, pageOf } from '../paging';
import { balanceMicro } from '../quota';
import { route } from '../route';
import { isoTime, providerSchema, tenantIdParams, uuid } from '../schemas';
import { inTenant, type TenantTx } from '../tenant-scope';

const HOURS_PER_MONTH = 730;

const billingSchema = z.object({
  balance: moneySchema,
  credited: moneySchema.describe('every credit ever added (grants, top-ups): what budget thresholds refer to'),
  used: moneySchema.describe('charged usage so far'),
  unbilled: moneySchema.describe('usage since the last charged window, not yet in the ledger (estimate)'),
  burnRate: z.object({ perHour: moneySchema, perMonth: moneySchema }).describe('what running and allocated instances cost now'),
  runway: z.object({ hours: z.number().nullable(), until: z.string().nullable() }).describe('when the balance runs out at the current burn rate'),
  plan: z.object({ code: z.string(), name: z.string(), paid: z.boolean() }),
  trial: z.object({ endsAt: z.string(), ended: z.boolean(), daysLeft: z.number() }),
  status: z.enum(['pending', 'active', 'suspended', 'closed']),
  statusReason: z.string().nullable(),
  suspended: z.boolean(),
  graceUntil: z.string().nullable().describe('suspended for credits or trial: instances are destroyed after this (data kept until then)'),
  budget: z.object({ thresholds: z.array(z.number()), usedPercent: z.number().describe('charged usage / credited, as the budget alerts measure it'), crossed: z.array(z.number()) }),
  monthlyBudget: z
    .object({
      limit: moneySchema.nullable().describe('the monthly budget the organization set; null: none'),
      month: z.string().describe('the calendar month measured (UTC), e.g. 2026-12'),
      used: moneySchema.describe('usage charged for this month so far (what the alerts measure)'),
      usedPercent: z.number().nullable().describe('used / limit in percent; null without a budget'),
      thresholds: z.array(z.number()),
      crossed: z.array(z.number()),
    })
    .describe('the organization’s own spending limit per calendar month: notices at its thresholds; it stops nothing'),
  notices: z.array(z.object({ id: z.string(), at: z.string(), kind: z.string(), level: z.string(), message: z.string() })),
});

const ledgerEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  amount: moneySchema,
  reason: z.enum(['trial_grant', 'top_up', 'usage', 'trial_expiry', 'adjustment']),
  description: z.string(),
  instanceId: z.string().nullable(),
  windowStart: z.string().nullable(),
  windowEnd: z.string().nullable(),
});

const usageQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    granularity: z.enum(['hour', 'day'], 'must be hour or day').optional(),
    instanceId: uuid('an instance id').optional(),
  })
  .transform((q, ctx) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    const granularity = q.granularity ?? (to.getTime() - from.getTime() <= 2 * 86_400_000 ? 'hour' : 'day');
    const step = granularity === 'hour' ? 3_600_000 : 86_400_000;
    if (!(from < to)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    else if ((to.getTime() - from.getTime()) / step > 2000) ctx.addIssue({ code: 'custom', path: ['from'], message: `the range is too long for ${granularity} buckets (at most 2000)` });
    return { from, to, granularity, step, instanceId: q.instanceId };
  });

type SegmentRow = MeteredSegment;

/** Micro-credits of `s` within [from, to), computed as the billing does: ms × per-minute / 60 000. */
export function segmentCost(s: MeteredSegment, from: Date, to: Date, now = new Date()): bigint {
  return microMillis(s, from.getTime(), to.getTime(), now.getTime()) / 60_000n;
}

/** Usage per bucket and instance, for charts. Exported for unit tests. */
export function usageSeries(segments: SegmentRow[], from: Date, to: Date, step: number, now = new Date()) {
  const start0 = Math.floor(from.getTime() / step) * step;
  const buckets: { start: number; micro: bigint; byInstance: Map<string, bigint> }[] = [];
  for (let t = start0; t < to.getTime(); t += step) buckets.push({ start: t, micro: 0n, byInstance: new Map() });
  const perInstance = new Map<string, bigint>();
  for (const s of segments) {
    const a = Math.max(s.started_at.getTime(), from.getTime());
    const b = Math.min((s.ended_at ?? now).getTime(), to.getTime(), now.getTime());
    if (b <= a) continue;
    for (let i = Math.floor((a - start0) / step); i < buckets.length && buckets[i].start < b; i++) {
      const bucket = buckets[i];
      const micro = segmentCost(s, new Date(Math.max(bucket.start, a)), new Date(Math.min(bucket.start + step, b)), now);
      if (micro === 0n) continue;
      bucket.micro += micro;
      bucket.byInstance.set(s.instance_id, (bucket.byInstance.get(s.instance_id) ?? 0n) + micro);
      perInstance.set(s.instance_id, (perInstance.get(s.instance_id) ?? 0n) + micro);
    }
  }
  return { buckets, perInstance };
}

export function billingRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/billing',
      summary: 'Balance, burn rate and runway, trial, suspension and grace, credit thresholds, the monthly budget and this month’s usage, recent notices',
      tags: ['billing'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'Billing summary', schema: billingSchema } },
      async handler({ params }) {
        const tenantId = params.tenantId;
        const now = new Date();
        const r = await inTenant(deps.db, tenantId, async (tx) => {
          const t = await tx.tenant.findUnique({ where: { id: tenantId }, include: { plan: true } });
          if (!t) throw notFound('tenant');
          const [sums] = await tx.$queryRaw<{ balance: bigint | null; credited: bigint | null; used: bigint | null; trial_expired: boolean; billed_until: Date | null }[]>`
            SELECT coalesce(sum(amount_micro), 0)::bigint AS balance,
                   coalesce(sum(amount_micro) FILTER (WHERE amount_micro > 0), 0)::bigint AS credited,
                   coalesce(-sum(amount_micro) FILTER (WHERE reason = 'usage'), 0)::bigint AS used,
                   bool_or(reason = 'trial_expiry') AS trial_expired,
                   max(window_end) FILTER (WHERE reason = 'usage') AS billed_until
            FROM credit_ledger WHERE tenant_id = ${tenantId}::uuid`;
          const burn = await burnPerMinute(tx, tenantId);
          const since = sums?.billed_until ?? t.createdAt;
          const open = await segmentsWithRates(tx, tenantId, since, now);
          const unbilled = open.reduce((n, s) => n + segmentCost(s, since, now, now), 0n);
          const notices = await tx.tenantNotice.findMany({ where: { tenantId }, orderBy: { at: 'desc' }, take: 20 });
          const month = monthOf(now);
          const monthUsed = await monthlyUsageMicro(tx, tenantId, month);
          return { t, sums, burn, unbilled, notices, month, monthUsed };
        });
        const { t, sums, burn, unbilled, notices, month, monthUsed } = r;
        const monthPercent = t.monthlyBudgetMicro ? budgetPercent(monthUsed, t.monthlyBudgetMicro) : null;
        const balance = sums?.balance ?? 0n;
        const credited = sums?.credited ?? 0n;
        const perHour = burn * 60n;
        // As the billing workflow measures it: charged usage against everything credited (expired
        // trial credits are not usage).
        const used = sums?.used ?? 0n;
        const usedPercent = Math.min(100, Math.max(0, budgetPercent(used, credited)));
        const live = balance - unbilled;
        const runwayHours = perHour > 0n ? Math.max(0, Number((live * 100n) / perHour) / 100) : null;
        return {
          status: 200,
          body: {
            balance: money(balance),
            credited: money(credited),
            used: money(used),
            unbilled: money(unbilled),
            burnRate: { perHour: money(perHour), perMonth: money(perHour * BigInt(HOURS_PER_MONTH)) },
            runway: { hours: runwayHours, until: runwayHours === null ? null : new Date(now.getTime() + runwayHours * 3_600_000).toISOString() },
            plan: { code: t.plan.code, name: t.plan.name, paid: t.plan.paid },
            trial: {
              endsAt: t.trialEndsAt.toISOString(),
              ended: Boolean(sums?.trial_expired) || t.trialEndsAt <= now,
              daysLeft: Math.max(0, Math.ceil((t.trialEndsAt.getTime() - now.getTime()) / 86_400_000)),
            },
            status: t.status,
            statusReason: t.statusReason,
            suspended: t.status === 'suspended',
            graceUntil: t.graceUntil?.toISOString() ?? null,
            budget: { thresholds: [...BUDGET_THRESHOLDS], usedPercent, crossed: BUDGET_THRESHOLDS.filter((x) => usedPercent >= x) },
            monthlyBudget: {
              limit: t.monthlyBudgetMicro ? money(t.monthlyBudgetMicro) : null,
              month: month.key,
              used: money(monthUsed),
              usedPercent: monthPercent,
              thresholds: [...MONTHLY_BUDGET_THRESHOLDS],
              crossed: monthPercent === null ? [] : crossedThresholds(monthPercent),
            },
            notices: notices.map((n) => ({ id: n.id.toString(), at: n.at.toISOString(), kind: n.kind, level: n.level, message: n.message })),
          },
        };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { monthlyCredits: number | null }>({
      method: 'put',
      path: '/tenants/{tenantId}/billing/budget',
      summary: 'Set (or, with null, remove) the organization’s monthly budget (organization-wide admins): notices at 50/80/100 % of it; it stops nothing',
      tags: ['billing'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: tenantIdParams,
      body: z.object({
        monthlyCredits: z
          .number('must be a number of credits, or null for no budget')
          .refine((n) => Number.isFinite(n) && n >= 0.01 && n <= 1e9, 'must be between 0.01 and 1,000,000,000 credits')
          .nullable(),
      }),
      responses: { 200: { description: 'The budget now', schema: z.object({ monthlyBudget: moneySchema.nullable() }) } },
      async handler({ req, params, body, access }) {
        if (access.siteId) throw forbidden('the monthly budget needs an organization-wide role; yours is limited to one site');
        const micro = body.monthlyCredits === null ? null : BigInt(Math.round(body.monthlyCredits * 1e6));
        const before = await inTenant(deps.db, params.tenantId, async (tx) => {
          const t = await tx.tenant.findUnique({ where: { id: params.tenantId }, select: { monthlyBudgetMicro: true } });
          if (!t) throw notFound('tenant');
          // Only this column (the scoped role may not touch updated_at or anything else of the row).
          await tx.$executeRaw`UPDATE tenants SET monthly_budget_micro = ${micro} WHERE id = ${params.tenantId}::uuid`;
          return t.monthlyBudgetMicro;
        });
        await audit(deps, req, {
          access,
          action: 'billing.budget.set',
          tenantId: params.tenantId,
          targetType: 'tenant',
          targetId: params.tenantId,
          details: { fromMicro: before?.toString() ?? null, toMicro: micro?.toString() ?? null },
        });
        return { status: 200, body: { monthlyBudget: micro === null ? null : money(micro) } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, { limit: number; cursor?: string; reason?: string }>({
      method: 'get',
      path: '/tenants/{tenantId}/billing/ledger',
      summary: 'The credit ledger, newest first (paged)',
      tags: ['billing'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      query: z.object({ limit: limitSchema, cursor: idCursorSchema, reason: ledgerEntrySchema.shape.reason.optional() }),
      responses: { 200: { description: 'A page of entries', schema: pageOf(ledgerEntrySchema) } },
      async handler({ params, query }) {
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.creditLedgerEntry.findMany({
            where: {
              tenantId: params.tenantId,
              ...(query.reason ? { reason: query.reason as 'usage' } : {}),
              ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}),
            },
            orderBy: { id: 'desc' },
            take: query.limit + 1,
          }),
        );
        const page = rows.slice(0, query.limit);
        return {
          status: 200,
          body: {
            items: page.map((e) => ({
              id: e.id.toString(),
              at: e.createdAt.toISOString(),
              amount: money(e.amountMicro),
              reason: e.reason,
              description: e.description,
              instanceId: e.instanceId,
              windowStart: e.windowStart?.toISOString() ?? null,
              windowEnd: e.windowEnd?.toISOString() ?? null,
            })),
            nextCursor: rows.length > query.limit ? page[page.length - 1].id.toString() : null,
          },
        };
      },
    }),

    route<z.infer<typeof tenantIdParams>, z.output<typeof usageQuery>>({
      method: 'get',
      path: '/tenants/{tenantId}/billing/usage',
      summary: 'Metered usage as a series for charts: per hour or day, per instance (default: the last 7 days; hourly up to 2 days, else daily)',
      tags: ['billing'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      query: usageQuery,
      responses: {
        200: {
          description: 'Usage series',
          schema: z.object({
            from: z.string(),
            to: z.string(),
            granularity: z.enum(['hour', 'day']),
            total: moneySchema,
            series: z.array(z.object({ start: z.string(), micro: z.number(), credits: z.number(), byInstance: z.record(z.string(), z.number()) })),
            instances: z.array(z.object({ id: z.string(), name: z.string(), provider: z.string(), size: z.string(), total: moneySchema })),
          }),
        },
      },
      async handler({ params, query }) {
        const now = new Date();
        const { segments, names } = await inTenant(deps.db, params.tenantId, async (tx) => {
          const segments = await segmentsWithRates(tx, params.tenantId, query.from, query.to, query.instanceId);
          const ids = [...new Set(segments.map((s) => s.instance_id))];
          const names = await tx.instance.findMany({ where: { tenantId: params.tenantId, id: { in: ids } }, select: { id: true, name: true, provider: true, size: true } });
          return { segments, names };
        });
        const { buckets, perInstance } = usageSeries(segments, query.from, query.to, query.step, now);
        const total = [...perInstance.values()].reduce((a, b) => a + b, 0n);
        return {
          status: 200,
          body: {
            from: query.from.toISOString(),
            to: query.to.toISOString(),
            granularity: query.granularity,
            total: money(total),
            series: buckets.map((b) => ({
              start: new Date(b.start).toISOString(),
              micro: Number(b.micro),
              credits: Number(b.micro) / 1e6,
              byInstance: Object.fromEntries([...b.byInstance].map(([k, v]) => [k, Number(v)])),
            })),
            instances: names.map((n) => ({ id: n.id, name: n.name, provider: n.provider, size: n.size, total: money(perInstance.get(n.id) ?? 0n) })),
          },
        };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { provider: ProviderName; size?: string; hours: number; count: number }>({
      method: 'post',
      path: '/tenants/{tenantId}/billing/estimate',
      summary: 'Estimate the cost of instances at your plan’s prices (per hour, for N hours, per month)',
      tags: ['billing'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      body: z.object({
        provider: providerSchema,
        size: z.string().trim().min(1).max(64).optional(),
        hours: z.number('must be a number of hours').positive('must be more than 0').max(8760, 'must be at most 8760 (a year)').default(HOURS_PER_MONTH),
        count: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
      }),
      responses: {
        200: {
          description: 'Estimate',
          schema: z.object({
            provider: z.string(),
            size: z.string(),
            count: z.number(),
            hours: z.number(),
            perHour: moneySchema,
            allocatedPerHour: moneySchema.describe('while stopped'),
            total: moneySchema,
            monthly: moneySchema,
            balance: moneySchema,
            affordableHours: z.number().nullable().describe('how long the balance lasts for these instances alone'),
          }),
        },
      },
      async handler({ params, body }) {
        const c = CATALOG[body.provider];
        const size = body.size ?? c.defaultSize;
        if (!c.sizes[size]) throw badRequest(`unknown size for ${body.provider}`, [{ field: 'size', message: `must be one of ${Object.keys(c.sizes).join(', ')} for ${body.provider}` }]);
        const { price, balance } = await inTenant(deps.db, params.tenantId, async (tx) => {
          const t = await tx.tenant.findUniqueOrThrow({ where: { id: params.tenantId }, select: { planCode: true } });
          const price = await tx.price.findUnique({ where: { planCode_provider_size: { planCode: t.planCode, provider: body.provider, size } } });
          return { price, balance: await balanceMicro(tx, params.tenantId) };
        });
        if (!price) throw badRequest('no price for this size on your plan', [{ field: 'size', message: 'has no price on your plan' }]);
        const count = BigInt(body.count);
        const perHour = price.perMinuteMicro * 60n * count;
        const total = (perHour * BigInt(Math.round(body.hours * 1000))) / 1000n;
        return {
          status: 200,
          body: {
            provider: body.provider,
            size,
            count: body.count,
            hours: body.hours,
            perHour: money(perHour),
            allocatedPerHour: money(price.allocatedPerMinuteMicro * 60n * count),
            total: money(total),
            monthly: money(perHour * BigInt(HOURS_PER_MONTH)),
            balance: money(balance),
            affordableHours: perHour > 0n ? Math.max(0, Number((balance * 100n) / perHour) / 100) : null,
          },
        };
      },
    }),
  ];
}
