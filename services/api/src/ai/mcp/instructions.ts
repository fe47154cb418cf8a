// What the MCP server says of itself, apart from the tools: the stdio proxy imports this without
// the app (and its AWS SDK) behind the tools.

export const MCP_SERVER_NAME = "tyche";
export const MCP_SERVER_VERSION = "0.1.0";

/**
 * What every MCP client's model is told before it calls a tool. The figures are Tyche's, computed
 * exactly from the user's data; a model that re-adds or re-rounds them only introduces errors.
 */
export const MCP_INSTRUCTIONS =
  "Tyche is the user's own budget, credit cards, savings goals and debt payoff plans. " +
  "Money in every tool result is an integer count of minor units (cents) of the result's `currency`: " +
  "123456 with USD is $1,234.56. Rates are basis points: 2400 is 24.00 % APR. " +
  "Every figure a tool returns (availableForDebtPayoff, minimum payments, interest, payoff dates, cuts, " +
  "forecasts) is computed exactly by Tyche from the user's real data: quote it, converted to the currency " +
  "for display, and do not redo, sum or adjust the arithmetic yourself; for a different scenario, call the " +
  "tool again with different inputs. Call get_user_context first.";

/** Added for a read principal, so the model knows why it cannot record anything. */
export const READ_ONLY_NOTE =
  " This connection's token is read-only: tools that change data are not offered. To add transactions, " +
  "set category limits or create goals, the user needs a personal access token with scope write.";
