export * from "./categories";
export * from "./daily";
export * from "./input";
export * from "./month-analytics";
export * from "./recommendations";
export * from "./recurring-charges";
export * from "./top-merchants";
