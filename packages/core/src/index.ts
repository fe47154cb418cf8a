export * from "./budget-math";
export * from "./default-categories";
export * from "./money";
export * from "./month";
export * from "./slug";
