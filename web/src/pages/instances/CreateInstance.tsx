// Placeholder until this page is built.
export function CreateInstance() {
  return <p>CreateInstance</p>;
}
