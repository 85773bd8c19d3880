// The app a CustomScript extension installs on a simulated VM, served for real on a loopback port
// while the VM runs. It answers 503 until its first-boot install (or, after a restart, its start-up)
// is done, then 200 on every path (its health path included). A stopped VM closes the port, so
// clients see "connection refused" exactly as they would from a powered-off machine.
import { createServer, type Server } from 'node:http';

export class GuestApp {
  private server: Server | undefined;
  private port: number | undefined;
  /** Epoch ms after which the app answers 200; Infinity = never (a hung install). */
  private readyAt = Number.POSITIVE_INFINITY;

  constructor(private readonly hostName: string) {}

  get listeningPort(): number | undefined {
    return this.server ? this.port : undefined;
  }

  /** The loopback port the app is (or was last) served on; stable across stop/start. */
  get forwardedPort(): number | undefined {
    return this.port;
  }

  get ready(): boolean {
    return this.server !== undefined && Date.now() >= this.readyAt;
  }

  /** Starts serving; the app answers 200 once `readyAt` has passed. */
  async serve(readyAt: number): Promise<void> {
    this.readyAt = readyAt;
    if (this.server) return;
    const server = createServer((req, res) => {
      const ready = Date.now() >= this.readyAt;
      res.setHeader('content-type', 'application/json');
      res.statusCode = ready ? 200 : 503;
      res.end(JSON.stringify(ready ? { status: 'ok', host: this.hostName, path: req.url } : { status: 'starting', host: this.hostName }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The same port after a restart, as a VM keeps its public IP and app port.
      server.listen(this.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
