// Every page of the console and where it lives. Pages load on demand, so signing in does not wait for
// the charts of the billing page.
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PublicFrame } from './app/PublicFrame';
import { Shell } from './app/Shell';
import { TenantFrame } from './app/TenantFrame';
import { NotFound } from './pages/home/NotFound';

const page = <M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) =>
  lazy(async () => ({ default: (await load())[name] as React.ComponentType }));

const SignIn = page(() => import('./pages/auth/SignIn'), 'SignIn');
const SignUp = page(() => import('./pages/auth/SignUp'), 'SignUp');
const AcceptInvitation = page(() => import('./pages/auth/AcceptInvitation'), 'AcceptInvitation');
const Home = page(() => import('./pages/home/Home'), 'Home');
const Dashboard = page(() => import('./pages/dashboard/Dashboard'), 'Dashboard');
const InstanceList = page(() => import('./pages/instances/InstanceList'), 'InstanceList');
const CreateInstance = page(() => import('./pages/instances/CreateInstance'), 'CreateInstance');
const InstanceDetail = page(() => import('./pages/instances/InstanceDetail'), 'InstanceDetail');
const Credentials = page(() => import('./pages/credentials/Credentials'), 'Credentials');
const Billing = page(() => import('./pages/billing/Billing'), 'Billing');
const Team = page(() => import('./pages/team/Team'), 'Team');
const ApiKeys = page(() => import('./pages/team/ApiKeys'), 'ApiKeys');
const AuditLog = page(() => import('./pages/audit/AuditLog'), 'AuditLog');
const PartnerView = page(() => import('./pages/partner/PartnerView'), 'PartnerView');
const OperatorConsole = page(() => import('./pages/operator/OperatorConsole'), 'OperatorConsole');

export function App() {
  return (
    <Routes>
      <Route element={<PublicFrame />}>
        <Route path="/signin" element={<SignIn />} />
        <Route path="/signup" element={<SignUp />} />
        <Route path="/invite" element={<AcceptInvitation />} />
      </Route>
      <Route element={<Shell />}>
        <Route path="/" element={<Home />} />
        <Route path="/t/:tenantId" element={<TenantFrame />}>
          <Route index element={<Dashboard />} />
          <Route path="instances" element={<InstanceList />} />
          <Route path="instances/new" element={<CreateInstance />} />
          <Route path="instances/:instanceId" element={<InstanceDetail />} />
          <Route path="credentials" element={<Credentials />} />
          <Route path="billing" element={<Billing />} />
          <Route path="team" element={<Team />} />
          <Route path="api-keys" element={<ApiKeys />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="*" element={<NotFound />} />
        </Route>
        <Route path="/partners/:partnerId" element={<PartnerView />} />
        <Route path="/operator" element={<OperatorConsole />} />
        <Route path="/operator/:tab" element={<OperatorConsole />} />
        <Route path="/workspace" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
