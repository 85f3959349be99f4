import type { PlatformUser } from "@platform/sdk";

export function Page({ name, user }: { name: string; user: PlatformUser | null }) {
  return (
    <section className="page">
      <h1>{name}</h1>
      <p>{user?.email ? `Signed in as ${user.email}.` : "Signed in."} Edit src/Page.tsx to build this page.</p>
    </section>
  );
}
