// Placeholder until this page is built.
export function ApiKeys() {
  return <p>ApiKeys</p>;
}
