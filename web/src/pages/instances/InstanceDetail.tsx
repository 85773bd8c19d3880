// Placeholder until this page is built.
export function InstanceDetail() {
  return <p>InstanceDetail</p>;
}
