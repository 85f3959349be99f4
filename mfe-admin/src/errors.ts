import { ApiError } from "@platform/sdk";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.status === 403 ? "You are not allowed to do this." : error.reason;
  return "The server could not be reached. Try again.";
}
