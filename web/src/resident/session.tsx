/**
 * The signed-in resident, held in React state and nowhere else: nothing of the resident is written
 * to any browser storage, so closing or reloading the page signs out (signing in again is one tap).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { ResidentSession } from "./passkey";

interface SessionState {
  session: ResidentSession | undefined;
  setSession(session: ResidentSession | undefined): void;
}

const SessionContext = createContext<SessionState>({ session: undefined, setSession: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<ResidentSession | undefined>(undefined);
  const value = useMemo(() => ({ session, setSession }), [session]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
