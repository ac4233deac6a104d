-- capacity-reservations: per on-demand capacity reservation over the period: the reserved instances, the VMs
-- allocated, and the idle slots between snapshots. A reservation is billed at the pay-as-you-go price whether
-- used or not, so an idle slot-hour costs the SKU's hourly price, taken from the billing export's own usage rows
-- for that SKU and region (the most frequent unit price of the cost basis).
-- 1. Each snapshot holds until the next snapshot of the same reservation, or the period's end; the window
--    is cut to the period (PFROM / PTO; without a period a snapshot holds until the next one only).
WITH snap AS (
  SELECT subscription_id, region, group_name, name, sku_name, sku_key, reserved, coalesce(current_capacity, reserved) AS slots,
    allocated_vms, captured_at,
    lead(captured_at) OVER (PARTITION BY subscription_id, region, group_name, name ORDER BY captured_at) AS next_at
  FROM capacity_reservations WHERE captured_at < coalesce(CAST(/*PTO*/ AS TIMESTAMP), TIMESTAMP '9999-12-31')
),
w AS (
  SELECT *, greatest(captured_at, coalesce(CAST(/*PFROM*/ AS TIMESTAMP), captured_at)) AS t0,
    least(coalesce(next_at, CAST(/*PTO*/ AS TIMESTAMP), captured_at), coalesce(CAST(/*PTO*/ AS TIMESTAMP), next_at, captured_at)) AS t1
  FROM snap
),
-- 2. Slot-seconds reserved and idle (slots no VM holds) per reservation.
r AS (
  SELECT subscription_id, region, group_name, name, arg_max(sku_name, captured_at) AS sku_name, arg_max(sku_key, captured_at) AS sku_key,
    arg_max(reserved, captured_at) AS reserved, arg_max(allocated_vms, captured_at) AS allocated_vms,
    count(*) FILTER (WHERE t1 > t0 OR captured_at >= coalesce(CAST(/*PFROM*/ AS TIMESTAMP), captured_at)) AS snapshots,
    CAST(sum(CASE WHEN t1 > t0 THEN slots * epoch(t1 - t0) ELSE 0 END) AS BIGINT) AS slot_seconds,
    CAST(sum(CASE WHEN t1 > t0 THEN greatest(slots - allocated_vms, 0) * epoch(t1 - t0) ELSE 0 END) AS BIGINT) AS idle_slot_seconds,
    min(greatest(slots - allocated_vms, 0)) AS idle_min, max(greatest(slots - allocated_vms, 0)) AS idle_max
  FROM w GROUP BY ALL
),
-- 3. The SKU's hourly price per region from the export's usage rows (hours), the most frequent one.
p AS (
  SELECT sku_key, region, arg_max(price, n) AS price, arg_max(currency, n) AS currency FROM (
    SELECT lower(regexp_replace(regexp_replace(coalesce(x_SkuMeterName, SkuMeter, ''), '^standard[_ ]', '', 'i'), '[\s_-]+', '', 'g')) AS sku_key,
      lower(coalesce(RegionId, replace(RegionName, ' ', ''))) AS region, /*PRICE*/ AS price, BillingCurrency AS currency, count(*) AS n
    FROM charges
    WHERE ChargeCategory = 'Usage' AND /*PRICE*/ > 0 AND lower(coalesce(PricingUnit, ConsumedUnit, '')) LIKE '%hour%'
      AND coalesce(PricingCategory, 'Standard') <> 'Committed' AND /*INPERIOD*/
    GROUP BY ALL)
  GROUP BY ALL
)
SELECT coalesce(r.subscription_id, '(unknown)') AS subscription, coalesce(r.region, '(unknown)') AS region, r.group_name, r.name AS reservation,
  r.sku_name AS sku, r.reserved, r.allocated_vms, r.idle_min, r.idle_max, r.snapshots, r.slot_seconds, r.idle_slot_seconds,
  p.currency, p.price AS hourly_price, p.price * r.idle_slot_seconds AS idle_price_seconds
FROM r LEFT JOIN p ON p.sku_key = r.sku_key AND p.region IS NOT DISTINCT FROM r.region
ORDER BY p.price * r.idle_slot_seconds DESC NULLS LAST, subscription, region, reservation
