/** The phrase a person types to confirm a destructive action, e.g. "disable dashboard". */
export function confirmationPhrase(action: string, target: string): string {
  return `${action.trim().toLowerCase()} ${target.trim()}`;
}

export function isConfirmed(typed: string, action: string, target: string): boolean {
  return typed.trim() === confirmationPhrase(action, target);
}
