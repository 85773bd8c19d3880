// The console's only way to the server. Sends the session cookie and, on writes, the CSRF header;
// turns problem+json answers into ApiError with per-field messages for forms.
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }
  forField(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('tenantry_csrf='))
    ?.slice('tenantry_csrf='.length);
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = csrfToken();
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    throw new ApiError(res.status, data?.detail ?? res.statusText, data?.errors ?? []);
  }
  return data as T;
}

export interface Me {
  user: { id: string; email: string; name: string; isOperator: boolean } | null;
  memberships: { tenantId: string; slug: string; name: string; status: string; role: string; siteId: string | null }[];
  partners: { partnerId: string; name: string; role: string }[];
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: 'pending' | 'active' | 'suspended' | 'closed';
  statusReason: string | null;
  plan: { code: string; name: string };
  trialEndsAt: string;
  quotas: { maxInstances: number; maxVcpu: number; maxMemoryMb: number; maxConcurrentProvisions: number };
  role: string;
}

export interface SignupState {
  tenantId: string;
  slug: string;
  status: 'pending' | 'active' | 'suspended' | 'closed' | 'failed';
  step: string;
  progress: number;
  failure?: string;
}
