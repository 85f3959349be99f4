import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

type Readiness = { status: string; checks: Record<string, { status: string }> };

function App() {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch("/readyz")
      .then((response) => response.json() as Promise<Readiness>)
      .then(setReadiness)
      .catch((reason: unknown) => setError(String(reason)));
  }, []);

  return (
    <main>
      <h1>Platform</h1>
      {error && <p role="alert">Could not reach the gateway: {error}</p>}
      {readiness && (
        <ul aria-label="Platform status">
          {Object.entries(readiness.checks).map(([name, check]) => (
            <li key={name}>
              {name}: {check.status}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
