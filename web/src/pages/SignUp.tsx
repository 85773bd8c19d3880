// Sign-up: organization, subdomain, plan and account in one form, then "preparing your workspace"
// with the signup workflow's live progress until the organization is active.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, type SignupState } from '../lib/api';

interface Started {
  tenantId: string;
  workflowId: string;
}

function Field(props: { id: string; label: string; type?: string; value: string; onChange: (v: string) => void; error?: string; hint?: string; autoComplete?: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && !props.error && <small className="muted">{props.hint}</small>}
      {props.error && (
        <small id={`${props.id}-error`} className="error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

function Preparing({ started, credentials }: { started: Started; credentials: { email: string; password: string } }) {
  const navigate = useNavigate();
  const state = useQuery({
    queryKey: ['signup', started.workflowId],
    queryFn: () => api<SignupState>(`/auth/signup/${started.workflowId}`),
    refetchInterval: (q) => (q.state.data?.status === 'pending' || !q.state.data ? 500 : false),
  });
  const s = state.data;
  const active = s?.status === 'active';
  async function openWorkspace() {
    await api('/auth/login', { method: 'POST', body: credentials });
    navigate(`/t/${started.tenantId}`);
  }
  return (
    <section className="card" aria-live="polite">
      <h1>Preparing your workspace</h1>
      <progress max={100} value={s?.progress ?? 0} aria-label="signup progress" />
      <p data-testid="signup-status">
        {s ? (active ? 'Your organization is active.' : s.status === 'failed' ? `Signup failed: ${s.failure}` : `${s.step}…`) : 'Starting…'}
      </p>
      {active && (
        <button type="button" onClick={openWorkspace}>
          Open workspace
        </button>
      )}
    </section>
  );
}

export function SignUp() {
  const [form, setForm] = useState({ organization: '', subdomain: '', name: '', email: '', password: '', plan: 'trial' });
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<Started | undefined>();
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setStarted(await api<Started>('/auth/signup', { method: 'POST', body: form }));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }

  if (started) return <Preparing started={started} credentials={{ email: form.email, password: form.password }} />;
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h1>Create your organization</h1>
      <Field id="organization" label="Organization name" value={form.organization} onChange={set('organization')} error={error?.forField('organization')} />
      <Field id="subdomain" label="Subdomain" value={form.subdomain} onChange={set('subdomain')} error={error?.forField('subdomain')} hint="Your apps will live under this name." />
      <div className="field">
        <label htmlFor="plan">Plan</label>
        <select id="plan" value={form.plan} onChange={(e) => set('plan')(e.target.value)}>
          <option value="trial">Trial</option>
          <option value="standard">Standard</option>
          <option value="pro">Pro</option>
          <option value="enterprise">Enterprise</option>
        </select>
      </div>
      <Field id="name" label="Your name" value={form.name} onChange={set('name')} error={error?.forField('name')} autoComplete="name" />
      <Field id="email" label="Email" type="email" value={form.email} onChange={set('email')} error={error?.forField('email')} autoComplete="email" />
      <Field id="password" label="Password" type="password" value={form.password} onChange={set('password')} error={error?.forField('password')} autoComplete="new-password" hint="At least 10 characters." />
      {error && error.fieldErrors.length === 0 && <p className="error" role="alert">{error.message}</p>}
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create organization'}
      </button>
    </form>
  );
}
