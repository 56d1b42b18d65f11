// Moving to another screen from inside one ("make one in Budgets"): the frame provides it.
import { createContext, useContext } from "react";
import type { ScreenId } from "./navigation";

export const NavigateContext = createContext<(screen: ScreenId) => void>(() => {});

export function useNavigate(): (screen: ScreenId) => void {
  return useContext(NavigateContext);
}
