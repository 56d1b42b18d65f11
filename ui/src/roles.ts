// Role names as people read them.
import type { Role } from "./ipc";

export const ROLES: { role: Role; label: string }[] = [
  { role: "administrator", label: "Administrator" },
  { role: "salesman", label: "Salesman" },
  { role: "manager", label: "Manager" },
  { role: "supply-chain", label: "Supply Chain" },
  { role: "branch-manager", label: "Branch Manager" },
];

export function roleLabel(role: Role): string {
  return ROLES.find((entry) => entry.role === role)?.label ?? role;
}
