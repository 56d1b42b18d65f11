// The level picker and the crumbs of a drill-down (click a crumb to go back up).
import { atLevel, type Crumb, LEVELS, levelLabel } from "../drill";
import type { VarianceLevel } from "../ipc";
import { Field } from "./common";

export function LevelField({ path, onChange }: { path: Crumb[]; onChange: (path: Crumb[]) => void }) {
  const here = path[path.length - 1];
  return (
    <Field label="Level">
      <select
        name="level"
        value={here?.level}
        onChange={(e) => onChange(atLevel(path, e.target.value as VarianceLevel))}
      >
        {LEVELS.map((level) => (
          <option key={level} value={level}>
            {levelLabel(level)}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Crumbs({ path, onChange }: { path: Crumb[]; onChange: (path: Crumb[]) => void }) {
  return (
    <nav className="crumbs" data-testid="drill-path">
      {path.map((crumb, index) => (
        <button
          type="button"
          className="link"
          key={`${crumb.level}-${crumb.within.length}`}
          onClick={() => onChange(path.slice(0, index + 1))}
        >
          {crumb.label}
        </button>
      ))}
    </nav>
  );
}
