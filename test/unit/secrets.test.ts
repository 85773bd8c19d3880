import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretError } from '../../lib/secrets';

describe('secret box (AES-256-GCM envelopes)', () => {
  const key = randomBytes(32);
  const box = createSecretBox([key]);

  it('round-trips and never contains the plaintext', () => {
    const sealed = box.seal('hunter2-client-secret', 'cred:1');
    expect(sealed).not.toContain('hunter2');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed, 'cred:1')).toBe('hunter2-client-secret');
  });

  it('refuses an envelope opened under another context (copied onto another row)', () => {
    const sealed = box.seal('s3cret', 'cred:1');
    expect(() => box.open(sealed, 'cred:2')).toThrow(SecretError);
  });

  it('refuses a tampered envelope', () => {
    const sealed = box.seal('s3cret');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/tampered/);
  });

  it('decrypts with an older key after rotation, encrypts with the new one', () => {
    const old = createSecretBox([key]).seal('rotated');
    const rotated = createSecretBox([randomBytes(32), key]);
    expect(rotated.open(old)).toBe('rotated');
    expect(rotated.seal('x').split('.')[1]).not.toBe(old.split('.')[1]);
  });
});
