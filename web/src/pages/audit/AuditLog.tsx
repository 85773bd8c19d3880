// Placeholder until this page is built.
export function AuditLog() {
  return <p>AuditLog</p>;
}
