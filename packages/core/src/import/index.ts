export * from "./amounts";
export * from "./csv";
export * from "./dates";
export * from "./detect";
export * from "./ofx";
export * from "./types";
