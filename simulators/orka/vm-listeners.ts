// The network face of a simulated VM: real loopback TCP listeners that greet like macOS does, so a
// client's readiness check is a genuine socket check. SSH sends its version banner; VNC and Screen
// Sharing send the RFB protocol version.
import { createServer, type Server, type Socket } from 'node:net';

export interface VmPorts {
  ssh: number;
  vnc: number;
  screenshare: number;
}

export interface VmListeners {
  ports: VmPorts;
  close(): Promise<void>;
}

export const SSH_BANNER = 'SSH-2.0-OpenSSH_9.6 orka-simulator\r\n';
export const RFB_BANNER = 'RFB 003.008\n';

async function listen(banner: string, preferredPort: number | undefined, sockets: Set<Socket>): Promise<Server> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Idle clients must not keep a stopped VM's port half-alive.
    socket.setTimeout(30_000, () => socket.destroy());
    socket.write(banner);
  });
  const tryPort = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await tryPort(preferredPort ?? 0);
  } catch (err) {
    // The VM's old port was taken while it was off: like a redeploy, it gets a new one.
    if (preferredPort === undefined) throw err;
    await tryPort(0);
  }
  return server;
}

export async function openVmListeners(previous?: VmPorts): Promise<VmListeners> {
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  try {
    servers.push(await listen(SSH_BANNER, previous?.ssh, sockets));
    servers.push(await listen(RFB_BANNER, previous?.vnc, sockets));
    servers.push(await listen(RFB_BANNER, previous?.screenshare, sockets));
  } catch (err) {
    servers.forEach((s) => s.close());
    throw err;
  }
  const port = (s: Server) => (s.address() as { port: number }).port;
  return {
    ports: { ssh: port(servers[0]), vnc: port(servers[1]), screenshare: port(servers[2]) },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
