// Runs the Temporal dev server (`temporal server start-dev`) for the local stack: state persisted in
// a SQLite file so workflows survive restarts, our search attributes registered, UI on 8233.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from './cli';
import { searchAttributeFlags } from './search-attributes';

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  /** True when we connected to a server that was already running (we will not stop it). */
  reused: boolean;
  stop(): Promise<void>;
}

/** Answers true when a Temporal frontend is serving at `address`. */
export async function temporalAnswers(address: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

export async function startDevServer(opts: {
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  onLog?: (line: string) => void;
}): Promise<DevServerHandle> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://localhost:${opts.uiPort}`;
  if (await temporalAnswers(address)) {
    return { address, uiUrl, reused: true, stop: async () => undefined };
  }
  mkdirSync(dirname(opts.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-ip', '127.0.0.1',
    '--ui-port', String(opts.uiPort),
    '--db-filename', opts.dbFile,
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    ...searchAttributeFlags(),
  ];
  // Own process group, so a terminal's Ctrl-C does not kill the server before the worker has drained.
  const child: ChildProcess = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let exited: number | null = null;
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) opts.onLog?.(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('exit', (code) => {
    exited = code ?? -1;
  });

  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(address, 1000))) {
    if (exited !== null) throw new Error(`temporal dev server exited with code ${exited}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal dev server did not answer on ${address} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    address,
    uiUrl,
    reused: false,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
