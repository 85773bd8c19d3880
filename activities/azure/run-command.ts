// exec on Azure = VM Run Command "RunShellScript" with one fixed script per InstanceCommand.
// Customers choose a command name; no text of theirs ever reaches the shell.
import type { CommandResult, InstanceCommand } from '../providers/contract';

export const COMMAND_SCRIPTS: Record<InstanceCommand, string[]> = {
  ping: ['echo pong', 'hostname'],
  sysinfo: ['uname -a', 'cat /etc/os-release', 'nproc', 'free -m'],
  uptime: ['uptime'],
  disk: ['df -h /'],
  processes: ['ps aux --sort=-%cpu | head -n 15'],
};

export function isInstanceCommand(value: string): value is InstanceCommand {
  return Object.prototype.hasOwnProperty.call(COMMAND_SCRIPTS, value);
}

/** Output kept per command (Azure itself keeps only the last 4 KB of each stream). */
export const MAX_OUTPUT_BYTES = 16 * 1024;

/**
 * Linux Run Command reports through the first status message:
 * "Enable succeeded: \n[stdout]\n…\n[stderr]\n…" or
 * "Enable failed: failed to execute command: command terminated with exit status=N\n[stdout]…".
 */
export function parseRunCommandResult(value: { code?: string; message?: string }[] | undefined): CommandResult {
  const message = value?.find((s) => s.message !== undefined)?.message ?? '';
  const stdout = /\[stdout\]\n([\s\S]*?)\n?\[stderr\]/.exec(message)?.[1] ?? '';
  const stderr = /\[stderr\]\n([\s\S]*)$/.exec(message)?.[1]?.replace(/\n$/, '') ?? '';
  const exitStatus = /exit status=(\d+)/.exec(message);
  const failed = /^Enable failed/.test(message) || /failed/i.test(value?.[0]?.code ?? '');
  const exitCode = exitStatus ? Number(exitStatus[1]) : failed ? 1 : 0;
  const combined = stderr ? `${stdout}${stdout.endsWith('\n') || !stdout ? '' : '\n'}${stderr}` : stdout;
  const bytes = Buffer.from(combined, 'utf8');
  const truncated = bytes.length > MAX_OUTPUT_BYTES;
  return { exitCode, output: truncated ? bytes.subarray(0, MAX_OUTPUT_BYTES).toString('utf8') : combined, truncated };
}
