// Placeholder until this page is built.
export function PartnerView() {
  return <p>PartnerView</p>;
}
