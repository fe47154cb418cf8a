/**
 * How the debt charts tell their lines apart: a colour (a CSS variable of the theme) and a dash
 * pattern for each, so that no line has to be told by its colour alone. Kept apart from the charts
 * so the panels can draw their legends without loading recharts.
 */
export const SERIES_COLOURS = ["--accent", "--over", "--under", "--near", "--text", "--muted"];
export const DASHES = ["", "8 4", "2 4", "10 4 2 4", "4 2", "12 3"];

export const seriesColour = (i: number) => `var(${SERIES_COLOURS[i % SERIES_COLOURS.length]})`;
export const seriesDash = (i: number) => DASHES[i % DASHES.length] ?? "";
