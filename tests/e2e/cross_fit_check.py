#!/usr/bin/env python3
"""Checks a text teacher trained with --cross-fit K in RUN against the same
teacher without it in PLAIN: the folds' held-out posts (fold-<k>/done.json)
partition RUN's training posts; validation and test posts keep PLAIN's soft
targets (to 1e-6) and most training posts get other ones. Then writes the
held-out posts of each fold k to FOLDS_PREFIX<k>.csv (id,text), for `predict`
with fold model k, whose output must equal RUN's soft targets for them.
Exit 0 when all holds, 1 otherwise.
    cross_fit_check.py RUN PLAIN K FOLDS_PREFIX"""
import csv
import json
import sys

import h5py
import numpy as np


def strings(ds):
    return [x.decode() if isinstance(x, bytes) else x for x in ds[:]]


def probs_by_post(path):
    with h5py.File(path, "r") as h:
        return dict(zip(strings(h["post_id"]), h["probs"][:]))


def fail(message):
    print(f"{sys.argv[1]}: {message}")
    sys.exit(1)


run, plain, K, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with h5py.File(f"{run}/data.h5", "r") as h:
    ids, texts, split = strings(h["post_id"]), strings(h["text"]), h["split"][:]
training = {i for i, s in zip(ids, split) if s == 0}
folds = [json.load(open(f"{run}/teachers/text/fold-{k}/done.json"))["held_out_posts"] for k in range(K)]
held = [p for fold in folds for p in fold]
if len(held) != len(set(held)) or set(held) != training:
    fail(f"the folds' held-out posts ({len(held)}, {len(set(held))} distinct) do not partition the {len(training)} training posts")
if max(map(len, folds)) - min(map(len, folds)) > 1:
    fail(f"fold sizes {list(map(len, folds))} differ by more than one")

mine, theirs = probs_by_post(f"{run}/soft_targets/text.h5"), probs_by_post(f"{plain}/soft_targets/text.h5")
kept = max(float(np.abs(mine[p] - theirs[p]).max()) for p in ids if p not in training)
moved = sum(float(np.abs(mine[p] - theirs[p]).max()) > 1e-4 for p in training)
if kept > 1e-6:
    fail(f"validation or test soft targets differ from the teacher's own (by up to {kept:g})")
if moved < len(training) / 2:
    fail(f"only {moved} of {len(training)} training posts have out-of-fold soft targets unlike the teacher's own")

text_of = dict(zip(ids, texts))
for k, fold in enumerate(folds):
    with open(f"{prefix}{k}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for p in fold:
            w.writerow([p, text_of[p]])
print(f"{K} folds partition the {len(training)} training posts; {moved} have out-of-fold soft targets; "
      f"validation and test keep the teacher's")
