// Docker HEALTHCHECK for the demo app: exit 0 when /healthz answers 200 (the app and its database work).
const port = Number(process.env.PORT ?? 8080);
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
