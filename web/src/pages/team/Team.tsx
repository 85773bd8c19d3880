// Placeholder until this page is built.
export function Team() {
  return <p>Team</p>;
}
