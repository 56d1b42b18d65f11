// The app frame: sign-in until a session exists, then navigation filtered by the user's grants.
import { useEffect, useState } from "react";
import { ErrorNote, messageOf, useLoad } from "./components/common";
import { ipc, type SessionInfo, type Welcome } from "./ipc";
import { NavigateContext } from "./navigate";
import { has, homeScreen, type ScreenId, screensFor } from "./navigation";
import { roleLabel } from "./roles";
import { Account } from "./screens/Account";
import { Alerts } from "./screens/Alerts";
import { Audit } from "./screens/Audit";
import { Availability } from "./screens/Availability";
import { Budgets, Inbox } from "./screens/Budgets";
import { Distribution } from "./screens/Distribution";
import { Forecast } from "./screens/Forecast";
import { HeadOffice, syncSummary, useSyncOverview } from "./screens/HeadOffice";
import { Home } from "./screens/Home";
import { Imports } from "./screens/Imports";
import { Inventory } from "./screens/Inventory";
import { Overview } from "./screens/Overview";
import { Purchasing } from "./screens/Purchasing";
import { ReferenceData } from "./screens/ReferenceData";
import { Reports } from "./screens/Reports";
import { Settings } from "./screens/Settings";
import { SignIn } from "./screens/SignIn";
import { Users } from "./screens/Users";
import { Variance } from "./screens/Variance";

export function App() {
  const [welcome, setWelcome] = useState<Welcome | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [screen, setScreen] = useState<ScreenId>("home");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ipc.welcome().then(setWelcome, (failure) => setError(messageOf(failure)));
    ipc.currentSession().then(setSession, () => setSession(null));
  }, []);

  if (!session) {
    return (
      <>
        <ErrorNote message={error} />
        <SignIn
          welcome={welcome}
          onSignedIn={(signedIn) => {
            setSession(signedIn);
            setScreen(homeScreen(signedIn.grants));
          }}
        />
      </>
    );
  }

  return (
    <Frame session={session} screen={screen} setScreen={setScreen} onSignedOut={() => setSession(null)} />
  );
}

function Frame({
  session,
  screen,
  setScreen,
  onSignedOut,
}: {
  session: SessionInfo;
  screen: ScreenId;
  setScreen: (screen: ScreenId) => void;
  onSignedOut: () => void;
}) {
  const sync = useSyncOverview();
  // Every visit starts the screen afresh: clicking "Approvals" again returns to its list.
  const [visit, setVisit] = useState(0);
  const go = (next: ScreenId) => {
    setScreen(next);
    setVisit((n) => n + 1);
  };
  const screens = screensFor(session.grants);
  const mayHaveAlerts = screens.some((entry) => entry.id === "alerts");
  const centre = useLoad(
    () => (mayHaveAlerts ? ipc.alertsList() : Promise.resolve(null)),
    `alert-badge/${visit}`,
  );
  const unread = centre.value?.unread ?? 0;
  const visible = screens.some((s) => s.id === screen) ? screen : (screens[0]?.id ?? "account");
  return (
    <div className="frame">
      <aside className="sidebar">
        <div className="brand">
          <strong>Salesplan</strong>
          <span>{session.company_name}</span>
        </div>
        <nav data-testid="navigation">
          {screens.map((entry) => (
            <button
              type="button"
              key={entry.id}
              data-screen={entry.id}
              className={entry.id === visible ? "nav active" : "nav"}
              onClick={() => go(entry.id)}
            >
              {entry.label}
              {entry.id === "alerts" && unread > 0 && (
                <span className="badge" data-testid="alert-badge" title={`${unread} unread`}>
                  {unread}
                </span>
              )}
            </button>
          ))}
        </nav>
        <button type="button" className="sync-line" data-testid="sync-line" onClick={() => go("sync")}>
          {syncSummary(sync.overview)}
        </button>
        <div className="who" data-testid="who">
          <span>{session.actor.display_name}</span>
          <small>{roleLabel(session.actor.role)}</small>
          <button
            type="button"
            className="secondary"
            data-testid="sign-out"
            onClick={async () => {
              await ipc.signOut();
              onSignedOut();
            }}
          >
            Sign out
          </button>
        </div>
      </aside>
      <NavigateContext.Provider value={go}>
        <main className="content" key={visit}>
          {visible === "home" && <Home session={session} />}
          {visible === "overview" && <Overview session={session} />}
          {visible === "imports" && <Imports session={session} />}
          {visible === "budgets" && <Budgets session={session} />}
          {visible === "inbox" && <Inbox session={session} />}
          {visible === "variance" && <Variance session={session} />}
          {visible === "reports" && <Reports session={session} />}
          {visible === "forecast" && <Forecast session={session} />}
          {visible === "inventory" && <Inventory session={session} />}
          {visible === "availability" && <Availability />}
          {visible === "purchasing" && <Purchasing session={session} />}
          {visible === "distribution" && <Distribution session={session} />}
          {visible === "alerts" && (
            <Alerts
              centre={centre}
              onChanged={centre.reload}
              mayWatchStock={has(session.grants, "view_stock")}
            />
          )}
          {visible === "reference" && <ReferenceData session={session} />}
          {visible === "users" && <Users session={session} />}
          {visible === "audit" && <Audit session={session} />}
          {visible === "settings" && <Settings session={session} />}
          {visible === "sync" && <HeadOffice session={session} sync={sync} />}
          {visible === "account" && <Account session={session} />}
        </main>
      </NavigateContext.Provider>
    </div>
  );
}
