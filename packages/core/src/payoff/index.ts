export * from "./arithmetic";
export * from "./card-month";
export * from "./card-status";
export * from "./compare";
export * from "./order";
export * from "./plan";
export * from "./types";
export * from "./validate";
