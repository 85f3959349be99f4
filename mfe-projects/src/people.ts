import { useEffect, useState } from "react";
import type { ProjectsApi } from "./api";

/** Display names of the given user ids (the project's members), from the auth directory. */
export function useNames(api: ProjectsApi, ids: string[]): ReadonlyMap<string, string> {
  const key = [...new Set(ids)].sort().join(",");
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let current = true;
    void api.names(key.split(",").filter(Boolean)).then((found) => current && setNames(found));
    return () => {
      current = false;
    };
  }, [api, key]);
  return names;
}

/** How a person is shown: their name, a service account as its `client:<id>`, else the end of their id. */
export function personLabel(id: string | null, you: string | undefined, names: ReadonlyMap<string, string>): string {
  if (id === null) return "Unassigned";
  const name = names.get(id) ?? (id.startsWith("client:") ? id : `User …${id.slice(-6)}`);
  return id === you ? `${name} (you)` : name;
}
