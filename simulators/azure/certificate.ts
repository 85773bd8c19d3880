// A throw-away TLS certificate for the simulator: self-signed, valid for 127.0.0.1 and localhost.
// The SDK refuses bearer tokens over plain http, so clients trust this certificate explicitly
// (AZURE_CA_CERT_FILE / `caCertPem`) instead of turning TLS verification off.
import { generate } from 'selfsigned';

export interface LoopbackCertificate {
  keyPem: string;
  certPem: string;
}

export async function generateLoopbackCertificate(): Promise<LoopbackCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'tenantry-azure-simulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // A CA flag lets the certificate be its own trust anchor in `ca: [...]`.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}
