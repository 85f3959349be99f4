/** The account page's logic, apart from its rendering. */
import type { AccountChange } from "../api";

/** The name to store: trimmed, and an emptied field clears it (null). */
export function nameChange(value: string): AccountChange {
  const name = value.trim();
  return { full_name: name === "" ? null : name };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "just now", "5 minutes ago", "yesterday", then the date itself after a week. */
export function formatWhen(iso: string, now: number, locale = "en"): string {
  const at = Date.parse(iso);
  const ago = now - at;
  if (ago < 60_000) return "just now";
  if (ago >= 7 * 86_400_000) return new Date(at).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
  const [unit, size] = UNITS.find(([, ms]) => ago >= ms)!;
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-Math.floor(ago / size), unit);
}

/** What the e-mail part of the page says about the address. */
export function verificationState(verified: boolean): string {
  return verified ? "Verified" : "Not verified: check your inbox for the confirmation link.";
}
