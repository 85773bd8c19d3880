// Remembers the organization last opened in this browser (an id, nothing secret), so "/" returns to it.
const KEY = 'tenantry.lastTenant';

export function lastTenantId(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberTenant(tenantId: string) {
  try {
    localStorage.setItem(KEY, tenantId);
  } catch {
    // private mode: nothing to remember
  }
}
