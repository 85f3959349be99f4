/** Project keys as the core-api accepts them: a letter, then 1-9 letters or digits. */
export const KEY_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;

/**
 * A key suggested from a project's name: the initials of a name of several words ("Mobile
 * app redesign" -> "MAR"), else the start of its one word ("Payments" -> "PAYM"); accents
 * dropped, at least two characters, a letter first. "" when the name has no usable letter.
 */
export function suggestKey(name: string): string {
  const words = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const first = words.findIndex((word) => /^[A-Z]/.test(word));
  if (first < 0) return "";
  const usable = words.slice(first);
  const key = usable.length > 1 ? usable.map((word) => word[0]).join("") : usable[0].slice(0, 4);
  const padded = key.length >= 2 ? key : (key + usable.join("").slice(1)).slice(0, 4);
  return padded.length >= 2 ? padded.slice(0, 10) : `${padded}X`;
}
