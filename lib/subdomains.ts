// Subdomain rules for organizations (the tenant slug): DNS-safe, lower-case, not one of ours.
import { z } from 'zod';

export const RESERVED_SUBDOMAINS = new Set([
  'www', 'api', 'app', 'apps', 'admin', 'console', 'dashboard', 'auth', 'login', 'signup', 'temporal',
  'status', 'docs', 'help', 'support', 'mail', 'smtp', 'static', 'assets', 'cdn', 'billing', 'metrics',
  'tenantry', 'operator', 'ops', 'root', 'system', 'internal', 'localhost',
]);

export const subdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'must be at least 3 characters')
  .max(32, 'must be at most 32 characters')
  .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen')
  .refine((s) => !s.includes('--'), 'must not contain two hyphens in a row')
  .refine((s) => !RESERVED_SUBDOMAINS.has(s), 'is reserved');
