// Structured JSON logs (pino). Secrets are redacted by key wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'token',
  'secret',
  'clientSecret',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'sealedPasswordHash',
  'secretCiphertext',
];

export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'tenantry',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers["${k}"]`]),
      censor: '[redacted]',
    },
  });
}

export type { Logger };
