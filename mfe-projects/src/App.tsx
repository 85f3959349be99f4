import type { FragmentContext } from "@platform/sdk";
import { useMemo } from "react";
import { createProjectsApi } from "./api";
import { ProjectPage } from "./ProjectPage";
import { ProjectsPage } from "./ProjectsPage";
import { parseRoute, useLocation } from "./route";

export function App({ context }: { context: FragmentContext }) {
  const api = useMemo(() => createProjectsApi(context), [context]);
  const { pathname, search } = useLocation(context);
  const route = parseRoute(pathname, context.basePath);
  if (route.page === "projects") return <ProjectsPage api={api} context={context} search={search} />;
  if (route.page === "project") return <ProjectPage key={route.projectId} api={api} context={context} projectId={route.projectId} taskId={route.taskId} search={search} />;
  return (
    <div className="projects">
      <h1>Page not found</h1>
      <p>
        <a
          href={context.basePath}
          onClick={(event) => {
            event.preventDefault();
            context.navigate(context.basePath);
          }}
        >
          All projects
        </a>
      </p>
    </div>
  );
}
