// Real socket checks: a macOS guest is reachable when its SSH port sends an SSH version banner and
// its VNC/Screen Sharing port sends the RFB protocol version. A bare TCP connect is not enough:
// Orka's node forwards the port before the guest listens.
import { connect } from 'node:net';

/** The first line the server sends, or undefined (refused, reset, silent, cancelled). */
export function readGreeting(host: string, port: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) return resolve(undefined);
    const socket = connect({ host, port });
    let buffer = '';
    const done = (line: string | undefined) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(line);
    };
    const onAbort = () => done(undefined);
    const timer = setTimeout(() => done(undefined), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl >= 0 || buffer.length > 255) done(buffer.slice(0, nl >= 0 ? nl : 255).replace(/\r$/, ''));
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(buffer ? buffer : undefined));
  });
}

export async function sshAnswers(host: string, port: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
  return (await readGreeting(host, port, opts))?.startsWith('SSH-') ?? false;
}

export async function vncAnswers(host: string, port: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
  return (await readGreeting(host, port, opts))?.startsWith('RFB ') ?? false;
}
