/**
 * The resident's inactivity timer at a shared terminal: the seconds left before `onIdle`, restarted
 * by any tap, key or input on the page, and held while `paused` (a card or passkey prompt, an
 * operation being followed), so a resident is never signed out in the middle of paying.
 */
import { useEffect, useRef, useState } from "react";

const ACTIVITY = ["pointerdown", "keydown", "input"] as const;

export function useIdle(seconds: number, paused: boolean, onIdle: () => void): number {
  const [left, setLeft] = useState(seconds);
  const deadline = useRef(Date.now() + seconds * 1000);
  const idle = useRef(onIdle);
  idle.current = onIdle;
  useEffect(() => {
    const restart = () => {
      deadline.current = Date.now() + seconds * 1000;
      setLeft(seconds);
    };
    restart();
    if (paused) return;
    for (const e of ACTIVITY) window.addEventListener(e, restart, { capture: true });
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) idle.current();
    }, 250);
    return () => {
      clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, restart, { capture: true });
    };
  }, [seconds, paused]);
  return left;
}
