export * from "./budget-math";
export * from "./default-categories";
export * from "./ledger";
export * from "./merchants";
export * from "./money";
export * from "./month";
export * from "./rules";
export * from "./slug";
