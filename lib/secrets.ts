// Secrets at rest and in Temporal history: AES-256-GCM envelopes "v1.<keyId>.<iv>.<tag>.<ciphertext>"
// (base64url). ENCRYPTION_KEY holds one or more comma-separated 32-byte keys (base64 or hex); the first
// encrypts, all decrypt, so keys can be rotated. Without it, a key file is created in the data
// directory on first use (local stack only; production sets ENCRYPTION_KEY or ENCRYPTION_KEY_FILE).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SecretBox {
  seal(plaintext: string, context?: string): string;
  open(envelope: string, context?: string): string;
}

export class SecretError extends Error {}

function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new SecretError('ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded');
  return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function loadKeys(source: { key?: string; file: string }): Buffer[] {
  let text = source.key;
  if (!text) {
    if (!existsSync(source.file)) {
      mkdirSync(dirname(source.file), { recursive: true });
      writeFileSync(source.file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
      chmodSync(source.file, 0o600);
    }
    text = readFileSync(source.file, 'utf8');
  }
  return text
    .split(',')
    .filter((k) => k.trim())
    .map(parseKey);
}

/**
 * `context` is bound into the ciphertext as additional authenticated data (e.g. the credential id),
 * so an envelope copied onto another row fails to open.
 */
export function createSecretBox(keys: Buffer[]): SecretBox {
  if (keys.length === 0) throw new SecretError('no encryption key configured');
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const current = keys[0];
  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', keyId(current), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(envelope, context = '') {
      const [version, id, iv, tag, ct] = envelope.split('.');
      if (version !== 'v1' || ct === undefined) throw new SecretError('not a sealed secret');
      const key = byId.get(id);
      if (!key) throw new SecretError(`secret was sealed with unknown key ${id}`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretError('secret could not be decrypted (tampered, or wrong key or context)');
      }
    },
  };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
