// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdminApi, type Fragment } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { Origins } from "./Origins";
import { errorAnswer, received } from "@platform/api-client/testing";

const REPORTS: Fragment = {
  name: "reports",
  publisher_role: "publisher:reports",
  description: "",
  roles: ["member"],
  enabled: true,
  origins: ["https://cdn.reports.example"],
  active_version: "1.0.0",
  previous_version: null,
  canary: null,
  created_at: "2026-12-01T00:00:00Z",
  updated_at: "2026-12-01T00:00:00Z",
};

/** The registry's PUT /fragments/reports/origins: each body recorded, echoed, or `refusal`'s answer. */
function fakeGateway(refusal?: () => Response) {
  const puts: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { method, url, body } = await received(input, init);
      if (method === "PUT" && url.pathname === "/api/core/fragments/reports/origins") {
        if (refusal) return refusal();
        puts.push(body);
        return Response.json({ ...REPORTS, ...(body as object) });
      }
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
  return puts;
}

let container: HTMLElement;
let root: Root;
let confirm: ReturnType<typeof vi.fn<(c: Confirmation) => void>>;
let onChanged: ReturnType<typeof vi.fn<() => Promise<unknown>>>;

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  confirm = vi.fn<(c: Confirmation) => void>();
  onChanged = vi.fn(async () => undefined);
  const api = createAdminApi({ getToken: async () => "token-1" });
  await act(async () => root.render(<Origins fragment={REPORTS} api={api} confirm={confirm} onChanged={onChanged} />));
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const field = () => container.querySelector("textarea")!;
const save = () => container.querySelector<HTMLButtonElement>("button[type=submit]")!;

async function type(text: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(field(), text);
    field().dispatchEvent(new Event("input", { bubbles: true }));
  });
}

async function submit() {
  await act(async () => save().click());
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

describe("a fragment's asset origins", () => {
  it("shows the registered ones and saves an added one without asking", async () => {
    const puts = fakeGateway();
    expect(field().value).toBe("https://cdn.reports.example");
    expect(save().disabled).toBe(true);

    await type("https://cdn.reports.example\n https://static.reports.example:8443 \n");
    await submit();

    expect(confirm).not.toHaveBeenCalled();
    expect(puts).toEqual([{ origins: ["https://cdn.reports.example", "https://static.reports.example:8443"] }]);
    expect(onChanged).toHaveBeenCalledOnce();
  });

  it("asks before removing one, naming it, and saves only when confirmed", async () => {
    const puts = fakeGateway();
    await type("");
    await submit();

    expect(puts).toEqual([]);
    expect(confirm).toHaveBeenCalledOnce();
    const asked = confirm.mock.calls[0][0];
    expect(asked.title).toBe("Remove an origin of reports?");
    expect(asked.body).toContain("https://cdn.reports.example");
    await act(async () => void (await asked.run()));
    expect(puts).toEqual([{ origins: [] }]);
  });

  it("shows the registry's reason when it refuses an origin", async () => {
    fakeGateway(() => errorAnswer(422, "ORIGIN_INVALID", "'cdn.example' is not an origin: scheme://host[:port]"));
    await type("https://cdn.reports.example\ncdn.example");
    await submit();

    expect(container.querySelector("[role=alert]")?.textContent).toBe("'cdn.example' is not an origin: scheme://host[:port]");
    expect(onChanged).not.toHaveBeenCalled();
    expect(save().disabled).toBe(false);
  });
});
