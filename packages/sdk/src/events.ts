/** A small typed publish/subscribe bus the shell shares with every fragment. */
export type Listener<T = unknown> = (payload: T) => void;

export interface EventBus {
  /** Delivers `payload` to every current listener of `type`; a throwing listener does not stop the others. */
  publish<T = unknown>(type: string, payload: T): void;
  /** Returns the function that removes the listener. */
  subscribe<T = unknown>(type: string, listener: Listener<T>): () => void;
}

export function createEventBus(onListenerError: (error: unknown) => void = console.error): EventBus {
  const listeners = new Map<string, Set<Listener>>();
  return {
    publish(type, payload) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(type, listener) {
      const set = listeners.get(type) ?? new Set<Listener>();
      listeners.set(type, set);
      set.add(listener as Listener);
      return () => {
        set.delete(listener as Listener);
        if (set.size === 0) listeners.delete(type);
      };
    },
  };
}

/** Events the shell itself publishes. */
export const SHELL_EVENTS = {
  /** payload: { pathname: string; search: string } after every client-side navigation. */
  routeChanged: "shell.route_changed",
} as const;
