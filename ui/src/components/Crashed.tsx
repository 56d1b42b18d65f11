// What the window shows when a screen fails to draw: the error in words and a
// way back, instead of a blank window that leaves the user (and a test's
// screenshot) with nothing to go on.

import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

export class Crashed extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <main className="crashed" data-testid="crashed">
        <h1>Something went wrong drawing this screen</h1>
        <p className="error" role="alert">
          {error.message}
        </p>
        <p>Nothing was lost: every change you saved is in the ledger.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the app
        </button>
      </main>
    );
  }
}
