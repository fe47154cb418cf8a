/**
 * Tyche's own export, version 1, recognised by this header alone (`tyche-export.ts` reads it back).
 * A row is one transaction as its account sees it; a transfer has a row in each of its two accounts.
 * A later layout gets another header (a column more or less is another version).
 */
export const TYCHE_EXPORT_HEADER = [
  "Tyche Id",
  "Date",
  "Account",
  "Account Id",
  "Kind",
  "Amount",
  "Currency",
  "Category",
  "Splits",
  "Merchant",
  "Merchant Name",
  "Description",
  "Tags",
  "Notes",
  "Pending",
  "Cleared",
  "Bank Id",
  "Transfer Account",
  "Transfer Account Id",
  "Linked Id",
] as const;
