#!/usr/bin/python3
"""Do the text teacher and TF-IDF + LR make different mistakes? For each RUN_DIR
(after `teacher --modality text`): test macro-F1 of the teacher, of TF-IDF + LR
(C tuned on validation, as tfidf_baseline.py) and of their mixed probabilities
w * teacher + (1 - w) * tfidf, with w = 0.5 and with w tuned on validation, and
how often the two disagree on test posts.

    /usr/bin/python3 experiments/tfidf_mix_check.py DATASET DATA_DIR RUN_DIR [RUN_DIR ...]

Needs python3-h5py and python3-sklearn (scripts/install-deps.sh)."""
import sys

import numpy as np
from sklearn.metrics import f1_score

import tfidf_baseline
from threshold_check import teacher_rows


def macro_f1(y, p):
    return 100 * f1_score(y, p, average="macro")


def main(dataset, data_dir, runs):
    text = tfidf_baseline.texts_of(dataset, data_dir)
    for run in runs:
        ids, y, split, teacher = teacher_rows(run, "probs")
        clf, X, _, _ = tfidf_baseline.fit([text[i] for i in ids], y, split)
        bow = clf.predict_proba(X)
        va, te = split == 1, split == 2
        mix = lambda w: w * teacher + (1 - w) * bow
        grid = np.round(np.arange(0, 1.0001, 0.1), 1)
        w_best = max(grid, key=lambda w: (macro_f1(y[va], mix(w)[va].argmax(1)), -abs(w - 0.5)))
        disagree = np.mean(teacher[te].argmax(1) != bow[te].argmax(1))
        print(f"{run}: teacher {macro_f1(y[te], teacher[te].argmax(1)):.2f}, tfidf {macro_f1(y[te], bow[te].argmax(1)):.2f}, "
              f"mix 0.5 {macro_f1(y[te], mix(0.5)[te].argmax(1)):.2f}, mix w={w_best} (validation) "
              f"{macro_f1(y[te], mix(w_best)[te].argmax(1)):.2f}; they disagree on {100 * disagree:.1f}% of test posts")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
