// Placeholder until this page is built.
export function Credentials() {
  return <p>Credentials</p>;
}
