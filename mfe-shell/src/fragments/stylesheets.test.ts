import { afterEach, describe, expect, it, vi } from "vitest";
import { settled } from "./stylesheets";

afterEach(() => vi.useRealTimers());

function pending(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  return Promise.resolve().then(() => Promise.resolve()).then(() => !done);
}

describe("settled", () => {
  it("waits until every stylesheet has loaded", async () => {
    const [first, second] = [new EventTarget(), new EventTarget()];
    const ready = settled([first, second]);
    first.dispatchEvent(new Event("load"));
    expect(await pending(ready)).toBe(true);
    second.dispatchEvent(new Event("load"));
    await expect(ready).resolves.toBeUndefined();
  });

  it("goes on when a stylesheet fails, so the fragment still mounts", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const link = new EventTarget();
    const ready = settled([link]);
    link.dispatchEvent(new Event("error"));
    await expect(ready).resolves.toBeUndefined();
  });

  it("stops waiting for a stylesheet whose host hangs", async () => {
    vi.useFakeTimers();
    const ready = settled([new EventTarget()], 1_000);
    expect(await pending(ready)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(ready).resolves.toBeUndefined();
  });

  it("resolves at once when there is nothing to link", async () => {
    await expect(settled([])).resolves.toBeUndefined();
  });
});
