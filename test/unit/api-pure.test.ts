// Pure pieces of the API: rate-limit decisions, money, idempotent ids, canonical JSON for request
// hashes, usage series, the actions an instance offers, the OpenAPI document's access notes.
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../api/app';
import { stableJson } from '../../api/idempotency';
import { idempotentInstanceId } from '../../api/instance-orders';
import { formatCredits, money } from '../../api/money';
import { buildOpenApi } from '../../api/openapi';
import { decide, limitsFromEnv } from '../../api/rate-limit';
import { segmentCost, usageSeries } from '../../api/routes/billing';
import { actionsFor } from '../../api/routes/instances';

describe('rate-limit decisions (sliding window)', () => {
  const rule = { limit: 10, windowSeconds: 60 };
  it('allows up to the limit within one window', () => {
    expect(decide(rule, 0, 10, 30_000)).toMatchObject({ allowed: true, estimate: 10 });
    expect(decide(rule, 0, 11, 30_000).allowed).toBe(false);
  });
  it('weighs the previous window by how much of it still overlaps', () => {
    // 20 s into the window, two thirds of the previous one still count: 12 × 2/3 + 3 = 11 > 10.
    expect(decide(rule, 12, 3, 20_000)).toMatchObject({ allowed: false });
    expect(decide(rule, 12, 3, 20_000).estimate).toBeCloseTo(11);
    // 40 s in: 12 × 1/3 + 3 = 7.
    expect(decide(rule, 12, 3, 40_000).allowed).toBe(true);
  });
  it('says when the next request fits', () => {
    // Over the limit in this window alone: wait for the next one and part of it.
    const full = decide(rule, 0, 12, 50_000);
    expect(full.allowed).toBe(false);
    expect(full.retryAfterSeconds).toBe(10 + 15); // 10 s to the edge, then 12·(1−t/60)+1 ≤ 10 ⇒ t ≥ 15 s
    // Over because of the previous window: wait until its share decays.
    const decaying = decide(rule, 12, 3, 20_000);
    expect(decaying.retryAfterSeconds).toBe(10); // 12·w + 3 + 1 ≤ 10 ⇒ w ≤ 0.5 ⇒ 30 s into the window, 10 s from now
  });
  it('reads overrides from the environment', () => {
    expect(limitsFromEnv({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '5/300', RATE_LIMIT_API_KEY: 'nonsense', RATE_LIMIT_SIGNUP_PER_IP: '0/10' })).toEqual({ loginPerAccount: { limit: 5, windowSeconds: 300 } });
  });
});

describe('money', () => {
  it('renders integer micro-credits as numbers and text', () => {
    expect(money(25_000_000n)).toEqual({ micro: 25_000_000, credits: 25, formatted: '25.00 credits' });
    expect(money('-1500000')).toEqual({ micro: -1_500_000, credits: -1.5, formatted: '-1.50 credits' });
    expect(formatCredits(1_234_567_890_000)).toBe('1,234,567.89 credits');
    expect(formatCredits(4200)).toBe('0.0042 credits');
    expect(money(null).micro).toBe(0);
  });
});

describe('idempotency', () => {
  it('turns an organization and a key into the same instance id every time, and different ones otherwise', () => {
    const t = '3f2b8c1e-0000-4000-8000-000000000001';
    const id = idempotentInstanceId(t, 'order-1');
    expect(id).toBe(idempotentInstanceId(t, 'order-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotentInstanceId(t, 'order-2')).not.toBe(id);
    expect(idempotentInstanceId('3f2b8c1e-0000-4000-8000-000000000002', 'order-1')).not.toBe(id);
  });
  it('hashes bodies independent of key order', () => {
    expect(stableJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(stableJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: '1' }));
    expect(stableJson(undefined)).toBe('null');
  });
});

describe('usage series', () => {
  const seg = (kind: 'running' | 'allocated', from: string, to: string | null) => ({
    instance_id: 'i1',
    kind,
    started_at: new Date(from),
    ended_at: to ? new Date(to) : null,
    per_minute_micro: 200n,
    allocated_per_minute_micro: 20n,
  });
  it('costs a segment as the billing does: ms × per-minute / 60 000, floored', () => {
    expect(segmentCost(seg('running', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z'))).toBe(12_000n);
    expect(segmentCost(seg('allocated', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), new Date(0), new Date('2027-01-01T00:00:00Z'))).toBe(0n);
    const now = new Date('2026-01-01T00:30:00Z');
    expect(segmentCost(seg('running', '2026-01-01T00:00:00Z', null), new Date(0), new Date('2027-01-01T00:00:00Z'), now)).toBe(6_000n);
  });
  it('splits segments across buckets and instances', () => {
    const { buckets, perInstance } = usageSeries(
      [seg('running', '2026-01-01T00:30:00Z', '2026-01-01T02:15:00Z')],
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-01-01T03:00:00Z'),
      3_600_000,
      new Date('2026-01-02T00:00:00Z'),
    );
    expect(buckets.map((b) => Number(b.micro))).toEqual([6_000, 12_000, 3_000]);
    expect(perInstance.get('i1')).toBe(21_000n);
  });
});

describe('instance actions', () => {
  it('offer what the lifecycle allows in each phase', () => {
    expect(actionsFor('running')).toEqual({ start: false, stop: true, restart: true, cancel: false, destroy: true, commands: true });
    expect(actionsFor('stopped')).toMatchObject({ start: true, stop: false, commands: false });
    expect(actionsFor('provisioning')).toMatchObject({ cancel: true, destroy: true });
    expect(actionsFor('destroyed')).toMatchObject({ destroy: false, cancel: false });
  });
});

describe('OpenAPI document', () => {
  const doc = buildOpenApi(apiRoutes({ config: { api: { publicUrl: 'http://x' } } } as never), { serverUrl: 'http://x' }) as {
    paths: Record<string, Record<string, { description: string; parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown>; 'x-access': { kind: string } }>>;
  };
  it('states who may call each route and documents 403/404 for scoped ones', () => {
    const create = doc.paths['/tenants/{tenantId}/instances'].post;
    expect(create.description).toContain('Requires the **member** role');
    expect(create['x-access']).toEqual({ kind: 'tenant', minRole: 'member' });
    expect(create.responses['403']).toBeDefined();
    expect(create.responses['404']).toBeDefined();
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    expect(doc.paths['/admin/tenants/{tenantId}/credits'].post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', required: true }));
    expect(doc.paths['/plans'].get.description).toContain('Public.');
  });
});
