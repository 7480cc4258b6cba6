#!/usr/bin/env python3
"""Does `predict` treat a post as training did? With `write`, puts the N longest
test posts of RUN (those cut at its max length) into a CSV (id,text); with
`check`, exits 0 when predict's probabilities for them (its TSV) equal the
teacher's soft targets for the same posts to 1e-4, 1 otherwise.
    predict_check.py write RUN POSTS.csv N
    predict_check.py check RUN POSTS.tsv"""
import csv
import sys

import h5py
import numpy as np


def strings(ds):
    return [x.decode() if isinstance(x, bytes) else x for x in ds[:]]


mode, run, path = sys.argv[1:4]
if mode == "write":
    with h5py.File(f"{run}/data.h5", "r") as h:
        ids, texts = strings(h["post_id"]), strings(h["text"])
        tokens, split, T = h["token_count"][:], h["split"][:], h.attrs["max_length"]
    longest = [i for i in np.argsort(-tokens) if split[i] == 2][: int(sys.argv[4])]
    assert all(tokens[i] > T for i in longest), "fewer long test posts than asked"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in longest:
            w.writerow([ids[i], texts[i]])
    sys.exit(0)

with h5py.File(f"{run}/soft_targets/text.h5", "r") as h:
    soft = dict(zip(strings(h["post_id"]), h["probs"][:]))
worst, rows = 0.0, 0
with open(path, encoding="utf-8") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        p = np.array([float(v) for k, v in row.items() if k.startswith("p_")])
        worst, rows = max(worst, float(np.abs(p - soft[row["id"]]).max())), rows + 1
if rows == 0 or worst > 1e-4:
    print(f"predict differs from the soft targets on {run}'s long posts (largest difference {worst:g}, {rows} rows)")
    sys.exit(1)
print(f"predict = soft targets on {rows} truncated posts (largest difference {worst:.2g})")
