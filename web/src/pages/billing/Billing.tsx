// Placeholder until this page is built.
export function Billing() {
  return <p>Billing</p>;
}
