// Placeholder until this page is built.
export function OperatorConsole() {
  return <p>OperatorConsole</p>;
}
