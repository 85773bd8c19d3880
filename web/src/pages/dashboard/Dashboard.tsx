// Placeholder until this page is built.
export function Dashboard() {
  return <p>Dashboard</p>;
}
