// The VM's admin credential: a fresh RSA key pair per instance (Azure's Linux VMs take an OpenSSH
// public key; password login stays disabled). The public half goes to the template; the private half
// is only ever stored sealed (SecretBox), never logged or returned.
import { createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface AdminKeyPair {
  /** "ssh-rsa AAAA… tenantry", what authorized_keys holds. */
  publicKeyOpenSsh: string;
  /** PKCS#1 PEM, which `ssh -i` reads. */
  privateKeyPem: string;
}

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

/** SSH mpint: big-endian, with a leading zero byte when the high bit is set (else it reads negative). */
function sshMpint(unsigned: Buffer): Buffer {
  return sshString(unsigned[0] & 0x80 ? Buffer.concat([Buffer.from([0]), unsigned]) : unsigned);
}

export function openSshRsaPublicKey(jwk: { n?: string; e?: string }, comment: string): string {
  if (!jwk.n || !jwk.e) throw new Error('not an RSA public key');
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(Buffer.from(jwk.e, 'base64url')), sshMpint(Buffer.from(jwk.n, 'base64url'))]);
  return `ssh-rsa ${blob.toString('base64')} ${comment}`;
}

export async function generateAdminKeyPair(comment = 'tenantry'): Promise<AdminKeyPair> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 3072 });
  return {
    publicKeyOpenSsh: openSshRsaPublicKey(publicKey.export({ format: 'jwk' }), comment),
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** The OpenSSH public key of a stored private key (a retried create reuses the key it recorded). */
export function adminKeyPairFromPrivate(privateKeyPem: string, comment = 'tenantry'): AdminKeyPair {
  return { publicKeyOpenSsh: openSshRsaPublicKey(createPublicKey(privateKeyPem).export({ format: 'jwk' }), comment), privateKeyPem };
}
