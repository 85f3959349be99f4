import { describe, expect, it } from "vitest";
import { parseRoute, projectPath } from "./route";

describe("parseRoute", () => {
  it("reads the list, a project and a task's panel", () => {
    expect(parseRoute("/projects", "/projects")).toEqual({ page: "projects" });
    expect(parseRoute("/projects/", "/projects")).toEqual({ page: "projects" });
    expect(parseRoute("/projects/p1", "/projects")).toEqual({ page: "project", projectId: "p1", taskId: null });
    expect(parseRoute("/projects/p1/tasks/t9", "/projects")).toEqual({ page: "project", projectId: "p1", taskId: "t9" });
    expect(parseRoute("/projects/p1/other", "/projects")).toEqual({ page: "unknown" });
  });
  it("builds the paths it reads", () => {
    expect(parseRoute(projectPath("/projects", "p1", "t9"), "/projects")).toEqual({ page: "project", projectId: "p1", taskId: "t9" });
  });
});
