export { FieldRangeError } from "./field-error";
export * from "./forecast";
export * from "./two-phase";
