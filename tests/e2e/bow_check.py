#!/usr/bin/python3
"""The bag-of-words teacher against scikit-learn and without its folds.

    bow_check.py RUN RUN_WITHOUT_FOLDS BASELINE_JSON

RUN: after `teacher --modality bow` (out-of-fold training soft targets, the
default); RUN_WITHOUT_FOLDS: the same data after `--cross-fit 0`;
BASELINE_JSON: experiments/tfidf_baseline.py's output on RUN. Checks that the
teacher chose the baseline's C and scores within a point of it on the test
split (the texts differ a little: the baseline reads the raw posts, the
teacher prepare's, through the tokenizer's words), that validation and test
soft targets do not depend on the folds, and that out of fold the training
posts look as unseen ones do, not as the fitted ones."""
import json
import sys

import h5py
import numpy as np


def rows(run):
    with h5py.File(f"{run}/data.h5", "r") as h:
        ids = [x.decode() for x in h["post_id"][:]]
        y, split = h["label"][:], h["split"][:]
    with h5py.File(f"{run}/soft_targets/bow.h5", "r") as h:
        at = {x.decode(): i for i, x in enumerate(h["post_id"][:])}
        probs = h["probs"][:][[at[i] for i in ids]]
    return y, split, probs


def accuracy(y, p):
    return float(np.mean(y == p.argmax(1)))


run, flat, baseline = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
metrics = json.load(open(f"{run}/teachers/bow/metrics.json"))
ours = metrics["test"]["macro_f1"]
print(f"bow teacher: C {metrics['model']['C']}, test macro-F1 {ours:.4f}; scikit-learn: C {baseline['C']}, "
      f"{baseline['test_macro_f1']:.4f}")
assert metrics["model"]["C"] == baseline["C"], "another C than scikit-learn's on the same validation split"
assert abs(ours - baseline["test_macro_f1"]) <= 0.01, "more than a point from scikit-learn's test macro-F1"
assert "training_out_of_fold" in metrics["cross_fit"], "metrics.json lacks the out-of-fold metrics"

y, split, p = rows(run)
y0, split0, p0 = rows(flat)
assert (y == y0).all() and (split == split0).all()
held = split > 0
assert np.abs(p[held] - p0[held]).max() < 1e-6, "validation/test soft targets depend on the folds"
tr = split == 0
fitted, oof, unseen = accuracy(y[tr], p0[tr]), accuracy(y[tr], p[tr]), accuracy(y[split == 2], p[split == 2])
print(f"training accuracy: in fold {fitted:.3f}, out of fold {oof:.3f}; test {unseen:.3f}")
assert fitted > 0.95, "the fitted model should nearly separate its own training posts"
assert abs(oof - unseen) < 0.1, "out of fold the training posts should look as unseen ones"
print("bow check ok")
