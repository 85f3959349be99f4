import { ApiError } from "@platform/sdk";

/** What went wrong, for people, with what support needs to find it (code and request id). */
export interface Problem {
  message: string;
  code?: string;
  requestId?: string;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) {
    const message = error.status === 403 ? "You are not allowed to do this in this project." : error.reason;
    return { message, code: error.code, requestId: error.requestId || undefined };
  }
  return { message: "The server could not be reached. Check your connection and try again." };
}

export function isApiError(error: unknown, code: string): error is ApiError {
  return error instanceof ApiError && error.code === code;
}
