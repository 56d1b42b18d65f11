// The running check, import or export: rows done as a progress bar, and Cancel
// (the job stops and writes nothing).
import { useEffect, useState } from "react";
import { ipc } from "../ipc";
import { percentDone } from "../mapping";

export function JobProgressBar() {
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  useEffect(() => {
    const timer = setInterval(() => {
      ipc.jobProgress().then(setProgress, () => {});
    }, 200);
    return () => clearInterval(timer);
  }, []);
  const percent = percentDone(progress.done, progress.total);
  return (
    <div className="running" data-testid="job-running">
      <progress max={100} value={percent} /> {percent} %
      <button type="button" className="secondary" onClick={() => ipc.jobCancel()}>
        Cancel
      </button>
    </div>
  );
}
