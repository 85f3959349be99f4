/** What the header calls the signed-in user: the display name they chose, else their e-mail. */
import type { PlatformUser } from "@platform/sdk";
import { useEffect, useMemo, useState } from "react";
import { createAccountApi, type Account } from "./api";
import type { Session } from "./session";

type Named = Pick<Account, "id" | "email" | "full_name">;

/**
 * The account's display name when it is set, else its e-mail. The token names only the
 * e-mail, and it can be a few minutes old: the account, when it is this user's, says more.
 */
export function displayName(user: PlatformUser, account: Named | null): string {
  const own = account?.id === user.id ? account : null;
  return own?.full_name || own?.email || user.email || user.id;
}

/**
 * The signed-in user's account, loaded once per user, and a setter for the account page to
 * hand over a changed one. Null until it arrives or when it cannot be read (a service
 * account, a network failure): the header then shows the token's e-mail.
 */
export function useAccount(session: Session, user: PlatformUser | null): [Account | null, (account: Account) => void] {
  const accounts = useMemo(() => createAccountApi(session), [session]);
  const [account, setAccount] = useState<Account | null>(null);
  const userId = user?.id;
  useEffect(() => {
    if (!userId) return;
    let current = true;
    accounts.get().then(
      (loaded) => current && setAccount(loaded),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [accounts, userId]);
  return [account, setAccount];
}
