export * from "./auth";
export * from "./budget";
export * from "./category";
export * from "./currency";
export * from "./imports";
export * from "./primitives";
export * from "./problem";
export * from "./transaction";
