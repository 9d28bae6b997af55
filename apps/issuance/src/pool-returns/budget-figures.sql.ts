/**
 * The budget figures a return must keep adding up (回流): one campaign's after each return, in
 * the return's own transaction, and the program's for GET /v1/admin/program-budget.
 */

/**
 * Campaign $1: its budget, what it handed back to the program (its own counter, and the sum of
 * its program_budget returns), and the face value of its vouchers the budget still covers (all
 * it gave out, less the expired ones whose value went back). Fen as text.
 */
export const CAMPAIGN_BUDGET_FIGURES = `
  WITH r AS (
    SELECT COALESCE(sum(value_fen) FILTER (WHERE destination = 'program_budget'), 0)::bigint AS handed,
           COALESCE(sum(value_fen) FILTER (WHERE source = 'expiry' AND destination <> 'kept'), 0)::bigint AS released
      FROM pool_returns WHERE campaign_id = $1::bigint
  ), v AS (
    SELECT COALESCE(sum(face_value_fen), 0)::bigint AS fen FROM vouchers WHERE campaign_id = $1::bigint
  )
  SELECT c.budget_fen AS "budgetFen", c.returned_fen AS "returnedFen", r.handed AS "handedBackFen", (v.fen - r.released)::bigint AS "liveFen"
    FROM campaigns c, r, v WHERE c.id = $1::bigint`;

/**
 * The program's figures, fen as text: committed (the campaigns' budgets now, with the city's
 * part by each campaign's share), returned (the campaigns' counters, and the program_budget
 * returns with their city and district parts), spent (subsidy redeemed, net of refunds, from the
 * figures rollup).
 */
export const PROGRAM_BUDGET_FIGURES = `
  WITH c AS (
    SELECT COALESCE(sum(budget_fen), 0)::bigint AS committed,
           COALESCE(sum(city_part_fen(budget_fen, city_share_bp)), 0)::bigint AS committed_city,
           COALESCE(sum(returned_fen), 0)::bigint AS returned
      FROM campaigns
  ), p AS (
    SELECT COALESCE(sum(value_fen), 0)::bigint AS value, COALESCE(sum(city_fen), 0)::bigint AS city,
           COALESCE(sum(district_fen), 0)::bigint AS district, count(*)::int AS returns
      FROM pool_returns WHERE destination = 'program_budget'
  ), s AS (
    SELECT COALESCE(sum(discount_fen - reversed_fen), 0)::bigint AS spent,
           COALESCE(sum(city_fen - reversed_city_fen), 0)::bigint AS spent_city
      FROM figures_days
  )
  SELECT c.committed AS "committedFen", c.committed_city AS "committedCityFen", c.returned AS "returnedFen",
         p.value AS "handedBackFen", p.city AS "handedBackCityFen", p.district AS "handedBackDistrictFen", p.returns AS "handedBackCount",
         s.spent AS "spentFen", s.spent_city AS "spentCityFen"
    FROM c, p, s`;
