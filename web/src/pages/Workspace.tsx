import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { api, type Tenant } from '../lib/api';

export function Workspace() {
  const { tenantId } = useParams();
  const tenant = useQuery({ queryKey: ['tenant', tenantId], queryFn: () => api<Tenant>(`/tenants/${tenantId}`) });
  if (tenant.isLoading) return <p className="muted">Loading…</p>;
  if (tenant.error) return <p className="error">Could not load the organization: {(tenant.error as Error).message}</p>;
  const t = tenant.data!;
  return (
    <section className="card">
      <h1>{t.name}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="tenant-status">{t.status}</dd>
        <dt>Subdomain</dt>
        <dd>{t.slug}</dd>
        <dt>Plan</dt>
        <dd>{t.plan.name}</dd>
        <dt>Trial ends</dt>
        <dd>{new Date(t.trialEndsAt).toLocaleDateString()}</dd>
        <dt>Your role</dt>
        <dd>{t.role}</dd>
      </dl>
    </section>
  );
}
