#!/usr/bin/python3
"""TF-IDF + logistic regression on exactly the splits of a prepared run: the
baseline the text teacher and student must beat. Reads RUN_DIR/data.h5 (post
ids, labels, splits) and the dataset's original files for the texts, applies
the same preprocessing markers loosely (lower-casing, word unigrams and
bigrams), tunes C on the validation split, reports test macro/weighted-F1.

    /usr/bin/python3 experiments/tfidf_baseline.py RUN_DIR DATASET DATA_DIR

DATASET: sdcnl (DATA_DIR holds training-set.csv, testing-set.csv) or idendep
(DATA_DIR holds idendep_reddit.csv). Needs Debian's python3-sklearn and
python3-h5py (scripts/install-deps.sh installs them)."""
import csv
import json
import sys

import h5py
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, accuracy_score

csv.field_size_limit(1 << 30)


def texts_of(dataset, data_dir):
    out = {}
    if dataset == "sdcnl":
        for name in ("training-set.csv", "testing-set.csv"):
            with open(f"{data_dir}/{name}", encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    body = "" if row["selftext"] == "emptypost" else row["selftext"]
                    out["sdcnl-" + row[""]] = (row["title"] + "\n" + body).strip()
    elif dataset == "idendep":
        with open(f"{data_dir}/idendep_reddit.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                out[row["id"]] = row["text"]
    else:
        raise SystemExit(f"unsupported dataset {dataset}")
    return out


def fit(docs, y, split):
    """The baseline on one run's posts: vectorizer fitted on the training split,
    C chosen by validation macro-F1. Returns (classifier, features of every
    post, C, validation macro-F1)."""
    tr, va = split == 0, split == 1
    vec = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    vec.fit([d for d, t in zip(docs, tr) if t])
    X = vec.transform(docs)
    best = None
    for C in (0.1, 0.3, 1, 3, 10, 30):
        clf = LogisticRegression(C=C, max_iter=2000).fit(X[tr], y[tr])
        f1 = f1_score(y[va], clf.predict(X[va]), average="macro")
        if best is None or f1 > best[0]:
            best = (f1, C, clf)
    return best[2], X, best[1], best[0]


def main(run_dir, dataset, data_dir):
    with h5py.File(f"{run_dir}/data.h5", "r") as h:
        ids = [x.decode() if isinstance(x, bytes) else x for x in h["post_id"][:]]
        y = h["label"][:]
        split = h["split"][:]
    labeled = split < 3  # split 3: the student's unlabeled transfer posts, not the dataset's
    ids = [i for i, keep in zip(ids, labeled) if keep]
    y, split = y[labeled], split[labeled]
    text = texts_of(dataset, data_dir)
    clf, X, C, val_f1 = fit([text[i] for i in ids], y, split)
    te = split == 2
    p = clf.predict(X[te])
    print(json.dumps({"run": run_dir, "C": C, "val_macro_f1": round(val_f1, 4),
                      "test_macro_f1": round(f1_score(y[te], p, average="macro"), 4),
                      "test_weighted_f1": round(f1_score(y[te], p, average="weighted"), 4),
                      "test_accuracy": round(accuracy_score(y[te], p), 4)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
