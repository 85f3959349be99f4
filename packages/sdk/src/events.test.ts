import { describe, expect, it, vi } from "vitest";
import { createEventBus } from "./events";

describe("createEventBus", () => {
  it("delivers a payload to every listener of its type only", () => {
    const bus = createEventBus();
    const a = vi.fn();
    const b = vi.fn();
    bus.subscribe("task.updated", a);
    bus.subscribe("other", b);
    bus.publish("task.updated", { id: 1 });
    expect(a).toHaveBeenCalledWith({ id: 1 });
    expect(b).not.toHaveBeenCalled();
  });
  it("stops delivering after unsubscribe", () => {
    const bus = createEventBus();
    const listener = vi.fn();
    const unsubscribe = bus.subscribe("x", listener);
    unsubscribe();
    bus.publish("x", 1);
    expect(listener).not.toHaveBeenCalled();
  });
  it("keeps delivering to the others when one listener throws", () => {
    const errors = vi.fn();
    const bus = createEventBus(errors);
    const after = vi.fn();
    bus.subscribe("x", () => {
      throw new Error("broken fragment");
    });
    bus.subscribe("x", after);
    bus.publish("x", 1);
    expect(after).toHaveBeenCalledWith(1);
    expect(errors).toHaveBeenCalledOnce();
  });
  it("lets a listener unsubscribe itself while being called", () => {
    const bus = createEventBus();
    const second = vi.fn();
    const off = bus.subscribe("x", () => off());
    bus.subscribe("x", second);
    bus.publish("x", 1);
    bus.publish("x", 2);
    expect(second).toHaveBeenCalledTimes(2);
  });
});
