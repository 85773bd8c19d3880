// Placeholder until this page is built.
export function InstanceList() {
  return <p>InstanceList</p>;
}
