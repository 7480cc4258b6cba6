#!/usr/bin/python3
"""Would a decision threshold tuned on validation help a binary text teacher?
For each RUN_DIR (after `teacher --modality text`): test macro-F1 of the argmax,
the threshold on logit(class 1) - logit(class 0) that maximises validation
macro-F1 (ties: the one nearest 0) and the test macro-F1 it gives, and the share
of test posts predicted as class 1 against the gold share.

    /usr/bin/python3 experiments/threshold_check.py RUN_DIR [RUN_DIR ...]

Needs python3-h5py and python3-sklearn (scripts/install-deps.sh)."""
import sys

import h5py
import numpy as np
from sklearn.metrics import f1_score


def teacher_rows(run, field):
    """Post ids, labels and splits of RUN's data.h5, and the text teacher's
    soft-target `field` (probs or logits) in the same row order."""
    with h5py.File(f"{run}/data.h5", "r") as h:
        ids = [x.decode() if isinstance(x, bytes) else x for x in h["post_id"][:]]
        y, split = h["label"][:], h["split"][:]
    with h5py.File(f"{run}/soft_targets/text.h5", "r") as h:
        row = {(x.decode() if isinstance(x, bytes) else x): i for i, x in enumerate(h["post_id"][:])}
        values = h[field][:][[row[i] for i in ids]]
    return ids, y, split, values


def margins(run):
    _, y, split, logits = teacher_rows(run, "logits")
    if logits.shape[1] != 2:
        raise SystemExit(f"{run}: {logits.shape[1]} classes; the threshold check is for two")
    return logits[:, 1] - logits[:, 0], y, split


def macro_f1(y, pred):
    return 100 * f1_score(y, pred, average="macro")


def main(runs):
    for run in runs:
        d, y, split = margins(run)
        va, te, tr = split == 1, split == 2, split == 0
        best_f1, best_t = None, 0.0
        for t in np.concatenate([d[va] - 1e-6, d[va] + 1e-6, [0.0]]):
            f = macro_f1(y[va], d[va] > t)
            if best_f1 is None or f > best_f1 + 1e-12 or (abs(f - best_f1) <= 1e-12 and abs(t) < abs(best_t)):
                best_f1, best_t = f, t
        print(f"{run}: test {macro_f1(y[te], d[te] > 0):.2f}; validation-tuned threshold {best_t:+.3f} "
              f"(validation {best_f1:.2f}) gives test {macro_f1(y[te], d[te] > best_t):.2f}; "
              f"class 1 predicted for {np.mean(d[te] > 0):.2f} of the test posts, gold {np.mean(y[te]):.2f}, "
              f"training split {np.mean(y[tr]):.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
