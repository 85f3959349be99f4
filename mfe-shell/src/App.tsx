import type { PlatformUser } from "@platform/sdk";
import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { FragmentArea, type ContextFactory } from "./fragments/FragmentArea";
import type { FragmentError } from "./fragments/loader";
import { Link } from "./Link";
import { navLinks, type Manifest, type ManifestFragment } from "./manifest";
import { AccountPage } from "./pages/Account";
import { ForgotPassword, ResetPassword, SignIn, SignUp, VerifyEmail } from "./pages/AuthPages";
import { usePageTitle } from "./pageTitle";
import { navigate, useLocation } from "./router";
import { ownerOf, redirectFor, routeMatches, type SignInNotice } from "./routes";
import type { Session } from "./session";
import { UserMenu } from "./UserMenu";
import { displayName, useAccount } from "./userName";

export const PUBLIC_PAGES = ["/login", "/register", "/forgot-password", "/reset-password", "/verify"];
/** Pages of the shell's own for signed-in users (no fragment may claim them). */
export const ACCOUNT_PAGE = "/account";

interface Props {
  session: Session;
  manifest: Manifest;
  contextFor: ContextFactory;
  onOutcome(fragment: ManifestFragment, error: FragmentError | null): void;
  onSignOut(notice?: SignInNotice): void;
}

function useUser(session: Session): PlatformUser | null {
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.user,
  );
}

export function App({ session, manifest, contextFor, onOutcome, onSignOut }: Props) {
  const user = useUser(session);
  const [account, setAccount] = useAccount(session, user);
  const { pathname, search } = useLocation();
  const links = useMemo(() => navLinks(manifest), [manifest]);
  const owner = ownerOf(manifest.fragments, pathname);
  const isPublicPage = PUBLIC_PAGES.includes(pathname);
  const isShellPage = isPublicPage || pathname === ACCOUNT_PAGE;
  const redirect = redirectFor({ pathname, search, signedIn: !!user, isPublicPage, owned: !!owner, firstLink: links[0]?.href });

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  const main = useRef<HTMLElement>(null);
  // After a client-side move to another fragment, focus goes to the new content (as a page
  // load would put it at the top) instead of staying on a link of the old page.
  const shownOwner = useRef(owner?.name);
  useEffect(() => {
    if (owner?.name === shownOwner.current) return;
    shownOwner.current = owner?.name;
    if (owner) main.current?.focus();
  }, [owner?.name]);

  if (redirect) return null;
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header className="top-bar">
        <Link href="/" className="brand">
          Platform
        </Link>
        {user && (
          <nav aria-label="Main">
            <ul>
              {links.map((link) => (
                <li key={link.fragment}>
                  <Link href={link.href} aria-current={routeMatches(`${link.href}/*`, pathname) ? "page" : undefined}>
                    {link.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {user && <UserMenu user={user} name={displayName(user, account)} onSignOut={() => onSignOut()} />}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {pathname === "/login" && <SignIn search={search} />}
        {pathname === "/register" && <SignUp />}
        {pathname === "/forgot-password" && <ForgotPassword />}
        {pathname === "/reset-password" && <ResetPassword search={search} />}
        {pathname === "/verify" && <VerifyEmail search={search} />}
        {pathname === ACCOUNT_PAGE && user && <AccountPage session={session} onSignOut={onSignOut} onAccountChange={setAccount} />}
        {!isShellPage && owner && (
          <FragmentArea key={owner.name} fragment={owner} label={links.find((l) => l.fragment === owner.name)?.label ?? owner.name} contextFor={contextFor} onOutcome={onOutcome} />
        )}
        {!isShellPage && !owner && (pathname === "/" ? <Welcome /> : <NotFound pathname={pathname} />)}
      </main>
    </>
  );
}

function Welcome() {
  usePageTitle("Welcome");
  return (
    <div className="page">
      <h1>Welcome</h1>
      <p>No pages are available to your account yet. Ask an administrator for access.</p>
    </div>
  );
}

function NotFound({ pathname }: { pathname: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle("Page not found");
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        Page not found
      </h1>
      <p>
        Nothing lives at <code>{pathname}</code>.
      </p>
      <p>
        <Link href="/">Go to the start page</Link>
      </p>
    </div>
  );
}
