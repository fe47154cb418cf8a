/**
 * What the charts share and recharts does not bring: the page's colours and the axes' compact
 * money. Kept free of recharts, like the charts' legends, so importing it loads nothing heavy.
 */
import { useEffect, useState } from "react";

export interface Theme {
  text: string;
  muted: string;
  border: string;
  surface: string;
  accent: string;
  over: string;
  under: string;
  near: string;
}

/** The theme's CSS variables (styles.css), with the light theme's values should one be missing. */
const FALLBACK: Theme = {
  text: "#1b1d21",
  muted: "#51565f",
  border: "#c9ccd1",
  surface: "#ffffff",
  accent: "#1f5fbf",
  over: "#b3261e",
  under: "#1e7b3a",
  near: "#8a5a00",
};

function readTheme(): Theme {
  const s = getComputedStyle(document.documentElement);
  const entries = Object.entries(FALLBACK).map(([name, fallback]) => [
    name,
    s.getPropertyValue(`--${name}`).trim() || fallback,
  ]);
  return Object.fromEntries(entries) as Theme;
}

/** The page's CSS colours, read again when the system switches between light and dark. */
export function useTheme(): Theme {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const update = () => setTheme(readTheme());
    media.addEventListener("change", update);
    return () => media.removeEventListener("change", update);
  }, []);
  return theme;
}

/** A tooltip's box in the theme's colours. */
export const tooltipStyle = (t: Theme) => ({
  background: t.surface,
  border: `1px solid ${t.border}`,
  color: t.text,
});

/** Money on an axis: "$1.2K". */
export const compactMoney = (cents: number, currency: string) =>
  new Intl.NumberFormat(navigator.language, {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(cents / 100);
