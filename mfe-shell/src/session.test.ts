import { ApiError } from "@platform/sdk";
import { describe, expect, it, vi } from "vitest";
import { forgetSessionMarker, hasSessionMarker, renewalDelayMs, retryDelayMs, Session, SignedOutError, userFromToken } from "./session";

const refused = () => new ApiError(401, "REFRESH_TOKEN_EXPIRED", "The refresh token has expired");
const unreachable = () => new TypeError("Failed to fetch");
const busy = () => new ApiError(503, "UPSTREAM_UNAVAILABLE", "auth is unavailable");

function jwt(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", kid: "k" })}.${encode(claims)}.signature`;
}

const alice = jwt({ sub: "u1", email: "alice@example.com", roles: ["member", "admin"] });

function harness(lifetimeS = 900) {
  let now = 1_000_000;
  const timers: { callback: () => void; at: number }[] = [];
  const deps = {
    refresh: vi.fn(async () => ({ access_token: alice, expires_in: lifetimeS })),
    signOut: vi.fn(async () => undefined),
    now: () => now,
    setTimer: (callback: () => void, ms: number) => timers.push({ callback, at: now + ms }),
    clearTimer: vi.fn(),
  };
  const session = new Session(deps);
  return {
    deps,
    session,
    /** Signed in as a page load is: restored from the cookies; the refresh it took is not counted. */
    async signedIn() {
      await session.restore();
      deps.refresh.mockClear();
    },
    advance(ms: number) {
      now += ms;
    },
    timers,
  };
}

describe("renewalDelayMs", () => {
  it("renews a 15-minute token one minute before it expires", () => expect(renewalDelayMs(900)).toBe(840_000));
  it("renews a short-lived token halfway through its life", () => expect(renewalDelayMs(60)).toBe(30_000));
});

describe("userFromToken", () => {
  it("reads the user's id, e-mail and roles from the payload", () => {
    expect(userFromToken(alice)).toEqual({ id: "u1", email: "alice@example.com", roles: ["member", "admin"] });
  });
  it("treats a service account without e-mail or roles as having none", () => {
    expect(userFromToken(jwt({ sub: "client:ci" }))).toEqual({ id: "client:ci", email: null, roles: [] });
  });
  it("decodes non-ASCII claims", () => {
    expect(userFromToken(jwt({ sub: "u2", email: "zoë@example.com" })).email).toBe("zoë@example.com");
  });
});

describe("the session marker cookie", () => {
  it("is found among other cookies", () => {
    expect(hasSessionMarker("theme=dark; farm_session=1; lang=en")).toBe(true);
    expect(hasSessionMarker("farm_session=1")).toBe(true);
  });
  it("is missing on a first visit, or when only a look-alike is there", () => {
    expect(hasSessionMarker("")).toBe(false);
    expect(hasSessionMarker("farm_session=0; my_farm_session=1")).toBe(false);
  });
  it("is dropped for the whole site", () => {
    const doc = { cookie: "" };
    forgetSessionMarker(doc);
    expect(doc.cookie).toBe("farm_session=; Max-Age=0; Path=/; SameSite=Strict");
  });
});

describe("Session", () => {
  it("asks for no renewal on a first visit (no session marker)", async () => {
    const { session, deps } = harness();
    const withoutMarker = new Session({ ...deps, hasSession: () => false });
    expect(await withoutMarker.restore()).toBeNull();
    expect(deps.refresh).not.toHaveBeenCalled();
    expect(await session.restore()).toMatchObject({ id: "u1" });
  });

  it("restores the user from the refresh cookie at start-up", async () => {
    const { session } = harness();
    expect(await session.restore()).toMatchObject({ id: "u1" });
  });

  it("is signed out when the refresh cookie is missing or refused", async () => {
    const { session, deps } = harness();
    deps.refresh.mockRejectedValueOnce(refused());
    expect(await session.restore()).toBeNull();
    expect(deps.refresh).toHaveBeenCalledTimes(1);
    await expect(session.getToken()).rejects.toBeInstanceOf(SignedOutError);
  });

  it("schedules the renewal before expiry and renews when the timer fires", async () => {
    const { deps, timers, signedIn } = harness();
    await signedIn();
    expect(timers.at(-1)!.at - 1_000_000).toBe(840_000);
    timers.at(-1)!.callback();
    await vi.waitFor(() => expect(deps.refresh).toHaveBeenCalledTimes(1));
  });

  it("hands out the token in memory without a request while it is fresh", async () => {
    const { session, deps, signedIn } = harness();
    await signedIn();
    expect(await session.getToken()).toBe(alice);
    expect(deps.refresh).not.toHaveBeenCalled();
  });

  it("renews on demand when the timer slept through expiry, once for concurrent callers", async () => {
    const { session, deps, advance, signedIn } = harness();
    await signedIn();
    advance(899_000);
    const tokens = await Promise.all([session.getToken(), session.getToken(), session.getToken()]);
    expect(tokens).toEqual([alice, alice, alice]);
    expect(deps.refresh).toHaveBeenCalledTimes(1);
  });

  it("signs out and tells subscribers when a renewal is refused", async () => {
    const { session, deps, advance, signedIn } = harness();
    await signedIn();
    const seen: unknown[] = [];
    session.subscribe((user) => seen.push(user));
    deps.refresh.mockRejectedValueOnce(refused());
    advance(900_000);
    await expect(session.getToken()).rejects.toThrow("401");
    expect(session.user).toBeNull();
    expect(seen).toEqual([null]);
  });

  it("tries again at start-up when the server cannot answer, before showing the signed-out page", async () => {
    const { session, deps, timers } = harness();
    deps.refresh.mockRejectedValueOnce(unreachable()).mockRejectedValueOnce(busy());
    const restored = session.restore();
    await vi.waitFor(() => expect(timers).toHaveLength(1));
    expect(timers[0].at - 1_000_000).toBe(retryDelayMs(0));
    timers[0].callback();
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    timers[1].callback();
    expect(await restored).toMatchObject({ id: "u1" });
    expect(deps.refresh).toHaveBeenCalledTimes(3);
  });

  it("shows the signed-out page when the server stays unreachable at start-up", async () => {
    const { session, deps, timers } = harness();
    deps.refresh.mockRejectedValue(unreachable());
    const restored = session.restore();
    for (let retry = 0; retry < 2; retry++) {
      await vi.waitFor(() => expect(timers).toHaveLength(retry + 1));
      timers[retry].callback();
    }
    expect(await restored).toBeNull();
    expect(deps.refresh).toHaveBeenCalledTimes(3);
  });

  it("stays signed in when a renewal cannot reach the server, and tries again, later each time", async () => {
    const { session, deps, timers, advance, signedIn } = harness();
    await signedIn();
    const seen: unknown[] = [];
    session.subscribe((user) => seen.push(user));
    deps.refresh.mockRejectedValueOnce(unreachable()).mockRejectedValueOnce(busy());

    advance(840_000);
    timers.at(-1)!.callback();
    await vi.waitFor(() => expect(timers.at(-1)!.at).toBe(1_840_000 + retryDelayMs(0)));
    expect(session.user).toMatchObject({ id: "u1" });
    expect(await session.getToken()).toBe(alice); // still valid for a minute

    advance(retryDelayMs(0));
    timers.at(-1)!.callback();
    await vi.waitFor(() => expect(timers.at(-1)!.at).toBe(1_841_000 + retryDelayMs(1)));
    advance(retryDelayMs(1));
    timers.at(-1)!.callback();
    await vi.waitFor(() => expect(deps.refresh).toHaveBeenCalledTimes(3));
    await vi.waitFor(() => expect(timers.at(-1)!.at - 1_843_000).toBe(renewalDelayMs(900)));
    expect(seen).toEqual([]);
  });

  it("waits at most a minute between retries", () => {
    expect([0, 1, 2, 5, 6, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 32_000, 60_000, 60_000]);
  });

  it("forgets the token even when the sign-out request fails", async () => {
    const { session, deps, signedIn } = harness();
    await signedIn();
    deps.signOut.mockRejectedValueOnce(new Error("offline"));
    await expect(session.signOut()).rejects.toThrow("offline");
    expect(session.peekToken()).toBeNull();
  });

  it("runs renewals through the cross-tab lock when one is given", async () => {
    const { deps } = harness();
    let locked = 0;
    const exclusive = <T,>(work: () => Promise<T>) => {
      locked += 1;
      return work();
    };
    const session = new Session({ ...deps, exclusive });
    await session.restore();
    expect(locked).toBe(1);
  });
});
