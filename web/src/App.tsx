import { useQuery } from '@tanstack/react-query';
import { Link, Navigate, Route, Routes } from 'react-router-dom';
import { api, type Me } from './lib/api';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { Workspace } from './pages/Workspace';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/me'), retry: false });
}

function Home() {
  const me = useMe();
  if (me.isLoading) return <p className="muted">Loading…</p>;
  const first = me.data?.memberships[0];
  if (first) return <Navigate to={`/t/${first.tenantId}`} replace />;
  if (me.data) return <p>You are not a member of any organization yet.</p>;
  return <Navigate to="/signin" replace />;
}

export function App() {
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          Tenantry
        </Link>
      </header>
      <main className="content">
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/signup" element={<SignUp />} />
          <Route path="/signin" element={<SignIn />} />
          <Route path="/t/:tenantId/*" element={<Workspace />} />
          <Route path="*" element={<p>Page not found. <Link to="/">Go home</Link></p>} />
        </Routes>
      </main>
    </div>
  );
}
