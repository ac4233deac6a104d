"""The notebook peer of tokenledger's end-to-end benchmark (src/bench/end-to-end.ts).

What a FinOps analyst would write without tokenledger: read the FOCUS export with pandas, keep the token
meters (priced per 1K or 1M), and divide the summed cost by the summed tokens per meter (the meter name carries the model,
the token type and the deployment). Prints one JSON line: rows read, token meters, their total cost.
Usage: python3 e2e-pandas.py EXPORT.csv.gz
"""
import json
import sys

import pandas as pd

path = sys.argv[1]
df = pd.read_csv(path, low_memory=False)
# token meters are priced per block of 1K or 1M tokens; matching "tokens" in the meter name would miss the
# batch and mini meters ("gpt 4.1 Batch Inp glbl", "gpt-4o-mini-0718-Inp-glbl"), a third of the cost here
tokens = df[df["x_PricingUnitDescription"].isin(["1K", "1M"])]
g = tokens.groupby("x_SkuMeterName").agg(cost=("EffectiveCost", "sum"), quantity=("ConsumedQuantity", "sum"))
g["cost_per_1m"] = g["cost"] / g["quantity"] * 1_000_000
print(json.dumps({"rows": int(len(df)), "groups": int(len(g)), "cost": round(float(g["cost"].sum()), 2)}))
