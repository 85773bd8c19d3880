/**
 * Run one command on a running instance (the RMM seed's ping / sysinfo, and a few diagnostics):
 * a short workflow per command, id `command-<commandId>`.
 *
 * Flow:        check the instance is running → provider exec (Docker: exec in the container; Azure:
 *              Run Command; Orka: not offered by its API, fails with a clear message) → output into
 *              the instance's event log → audit entry.
 * Compensation: none; commands are read-only diagnostics from a fixed list (no customer text ever
 *              reaches a shell).
 * Idempotency: the event and audit carry the command id; the workflow id is the command id, so a
 *              retried API call does not run the command twice.
 */
import { ApplicationFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CommandResult, InstanceCommand, InstanceTarget } from '../activities/providers/contract';
import { nonRetryableErrorTypes } from './errors';
import type { Actor } from './instance';
import { InstanceIdKey, ProviderKey, TenantIdKey } from './search-attributes';

export interface CommandInput {
  commandId: string;
  target: InstanceTarget;
  command: InstanceCommand;
  requestedBy?: Actor;
}

export interface CommandOutcome extends CommandResult {
  commandId: string;
  command: InstanceCommand;
}

export const commandWorkflowId = (commandId: string) => `command-${commandId}`;

const platform = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
});
const exec = proxyActivities<Record<string, (t: InstanceTarget, c: InstanceCommand) => Promise<CommandResult>>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // A command is cheap to repeat but not worth hammering a broken instance with.
  retry: { initialInterval: '2 seconds', maximumAttempts: 3, nonRetryableErrorTypes },
});

export async function instanceCommandWorkflow(input: CommandInput): Promise<CommandOutcome> {
  const { target: t, command, commandId } = input;
  upsertSearchAttributes([
    { key: TenantIdKey, value: t.tenantId },
    { key: InstanceIdKey, value: t.instanceId },
    { key: ProviderKey, value: t.provider },
  ]);
  const audit = (result: 'success' | 'failure', details: Record<string, unknown>) =>
    platform.recordAudit({
      actorType: input.requestedBy?.type ?? 'system',
      actorId: input.requestedBy?.id,
      tenantId: t.tenantId,
      action: 'instance.command',
      targetType: 'instance',
      targetId: t.instanceId,
      result,
      details: { commandId, command, ...details },
    });

  const phase = await platform.readInstancePhase(t.instanceId);
  if (phase !== 'running') {
    await audit('failure', { reason: `instance is ${phase ?? 'missing'}` });
    throw ApplicationFailure.nonRetryable(`cannot run ${command}: the instance is ${phase ?? 'missing'} (commands need running)`, 'ValidationError');
  }
  try {
    const result = await exec[`${t.provider}.exec`](t, command);
    await platform.appendInstanceEvent({
      instanceId: t.instanceId,
      tenantId: t.tenantId,
      dedupeKey: `command:${commandId}`,
      at: new Date().toISOString(),
      level: result.exitCode === 0 ? 'info' : 'warn',
      message: `$ ${command} (exit ${result.exitCode})\n${result.output}`,
      data: { commandId, command, exitCode: result.exitCode, truncated: result.truncated },
    });
    await audit(result.exitCode === 0 ? 'success' : 'failure', { exitCode: result.exitCode });
    return { ...result, commandId, command };
  } catch (err) {
    const message = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    await platform.appendInstanceEvent({
      instanceId: t.instanceId,
      tenantId: t.tenantId,
      dedupeKey: `command:${commandId}`,
      at: new Date().toISOString(),
      level: 'error',
      message: `$ ${command} failed: ${message}`,
      data: { commandId, command },
    });
    await audit('failure', { reason: message });
    throw ApplicationFailure.nonRetryable(`${command} failed: ${message}`, 'CommandFailed');
  }
}
