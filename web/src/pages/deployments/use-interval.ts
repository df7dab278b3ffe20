/** Calls `tick` every `ms` while the page is open and visible (live charts poll with it). */
import { useEffect, useRef } from 'react';

export function useInterval(tick: () => void, ms: number): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') latest.current();
    }, ms);
    return () => window.clearInterval(timer);
  }, [ms]);
}
