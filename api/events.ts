// Live instance events for Server-Sent Events streams. One LISTEN connection per API process on
// channel `instance_events` (a trigger announces every inserted event, see the api_security
// migration); each stream registers a wake-up for its instance and reads the new rows itself, by id,
// under the tenant's row-level security. The connection opens with the first stream and closes
// shortly after the last; if it drops, streams fall back to polling until it is back.
import pg from 'pg';
import type { Logger } from '../lib/logger';

type Wake = () => void;

export class InstanceEventHub {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly wakes = new Map<string, Set<Wake>>();
  private idleTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string | undefined,
    private readonly log: Logger,
    private readonly idleMs = 5_000,
  ) {}

  /** True while notifications arrive; streams poll on their own otherwise. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  subscribe(instanceId: string, wake: Wake): () => void {
    let set = this.wakes.get(instanceId);
    if (!set) this.wakes.set(instanceId, (set = new Set()));
    set.add(wake);
    clearTimeout(this.idleTimer);
    this.listen();
    return () => {
      set.delete(wake);
      if (set.size === 0) this.wakes.delete(instanceId);
      if (this.wakes.size === 0) {
        this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
        this.idleTimer.unref();
      }
    };
  }

  private wakeAll() {
    for (const set of this.wakes.values()) for (const w of set) w();
  }

  private listen() {
    if (this.client || this.connecting || !this.url || this.wakes.size === 0) return;
    const c = new pg.Client({ connectionString: this.url, application_name: 'tenantry-api-events' });
    const drop = (why: string) => {
      if (this.client !== c) return;
      this.client = undefined;
      this.log.warn({ why }, 'instance event listener lost; streams poll until it is back');
      void c.end().catch(() => undefined);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.listen(), 1000);
      this.retryTimer.unref();
    };
    c.on('notification', (n) => {
      const instanceId = (n.payload ?? '').split(':')[0];
      for (const w of this.wakes.get(instanceId) ?? []) w();
    });
    c.on('error', (err) => drop(err.message));
    c.on('end', () => drop('connection ended'));
    this.connecting = (async () => {
      try {
        await c.connect();
        await c.query('LISTEN instance_events');
        // The listener never keeps the process alive on its own.
        (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
        this.client = c;
        this.wakeAll(); // anything that arrived while connecting
      } catch (err) {
        this.log.warn({ err }, 'could not LISTEN for instance events; streams poll instead');
        void c.end().catch(() => undefined);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.listen(), 2000);
        this.retryTimer.unref();
      } finally {
        this.connecting = undefined;
      }
    })();
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }
}
