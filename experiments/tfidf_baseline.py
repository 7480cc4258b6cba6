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


def main(run_dir, dataset, data_dir):
    with h5py.File(f"{run_dir}/data.h5", "r") as h:
        ids = [x.decode() if isinstance(x, bytes) else x for x in h["post_id"][:]]
        y = h["label"][:]
        split = h["split"][:]
    text = texts_of(dataset, data_dir)
    docs = [text[i] for i in ids]
    tr, va, te = (np.where(split == s)[0] for s in (0, 1, 2))
    vec = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    X = vec.fit_transform([docs[i] for i in tr])
    Xv, Xt = vec.transform([docs[i] for i in va]), vec.transform([docs[i] for i in te])
    best = None
    for C in (0.1, 0.3, 1, 3, 10, 30):
        clf = LogisticRegression(C=C, max_iter=2000).fit(X, y[tr])
        f1 = f1_score(y[va], clf.predict(Xv), average="macro")
        if best is None or f1 > best[0]:
            best = (f1, C, clf)
    _, C, clf = best
    p = clf.predict(Xt)
    print(json.dumps({"run": run_dir, "C": C, "val_macro_f1": round(best[0], 4),
                      "test_macro_f1": round(f1_score(y[te], p, average="macro"), 4),
                      "test_weighted_f1": round(f1_score(y[te], p, average="weighted"), 4),
                      "test_accuracy": round(accuracy_score(y[te], p), 4)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
