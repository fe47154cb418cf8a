export * from "./amounts";
export * from "./csv";
export * from "./dates";
export * from "./decode";
export * from "./detect";
export { classifyRow, type RowKind, type RowText } from "./kinds";
export * from "./ofx";
export * from "./read-statement";
export * from "./types";
