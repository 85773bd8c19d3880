// Placeholder until this page is built.
export function AcceptInvitation() {
  return <p>AcceptInvitation</p>;
}
