// How the dashboard reads the instance list: counts by phase, recent failures, onboarding progress.
import type { Instance, InstancePhase } from '../../api/types';

/** Failures older than this are history, not an alert (they stay visible in the instance list). */
export const RECENT_FAILURE_MS = 7 * 86_400_000;

/** Instances that exist now (failed ones included: they still hold resources until destroyed). */
export function countByPhase(items: Instance[]): [InstancePhase, number][] {
  const counts = new Map<InstancePhase, number>();
  for (const i of items) if (i.phase !== 'destroyed' && i.phase !== 'cancelled') counts.set(i.phase, (counts.get(i.phase) ?? 0) + 1);
  return [...counts];
}

export function recentFailures(items: Instance[], now = Date.now()): Instance[] {
  return items.filter((i) => i.phase === 'failed' && now - new Date(i.updatedAt ?? i.createdAt ?? 0).getTime() < RECENT_FAILURE_MS);
}

/** The first instance that has ever run (a destroyed one counts: the organization has seen one work). */
export const firstThatRan = (items: Instance[]) => items.find((i) => i.phase === 'running') ?? items.find((i) => i.runningSince);
