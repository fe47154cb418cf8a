export * from "./budget-math";
export * from "./default-categories";
export * from "./ledger";
export * from "./money";
export * from "./month";
export * from "./slug";
export * from "./merchants";
export * from "./rules";
