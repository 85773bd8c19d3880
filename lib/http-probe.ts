// A plain HTTP GET with an explicit Host header. fetch() cannot do this (Host is a forbidden header
// there), and routing by subdomain through the app proxy is exactly what we need to check.
import { request } from 'node:http';

export interface ProbeResult {
  status: number;
  body: string;
}

export function httpGet(url: string, opts: { host?: string; timeoutMs?: number } = {}): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers: opts.host ? { host: opts.host } : {}, timeout: opts.timeoutMs ?? 3000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ status: 0, body: String(err) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    req.end();
  });
}
