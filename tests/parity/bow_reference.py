#!/usr/bin/env python3
"""Reference TF-IDF + logistic regression from scikit-learn (Debian's
python3-sklearn), for the bag-of-words teacher's parity test.

    python3 bow_reference.py DIR C [C ...]

Reads DIR/posts.txt (one post per line) and DIR/labels.txt (one integer per
line; -1: not for fitting). Fits TfidfVectorizer(ngram_range=(1, 2), min_df=2,
sublinear_tf=True) and LogisticRegression(C) on the posts with a label, run
to convergence, and prints JSON: the terms, their idf, the features of every
post (as {term index: value}) and, per C, every post's probabilities."""
import json
import pathlib
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

d = pathlib.Path(sys.argv[1])
posts = d.joinpath("posts.txt").read_text(encoding="utf-8").split("\n")[:-1]
labels = [int(x) for x in d.joinpath("labels.txt").read_text().split()]
fit = [i for i, y in enumerate(labels) if y >= 0]
vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
vec.fit([posts[i] for i in fit])
X = vec.transform(posts).tocsr()
out = {"terms": vec.get_feature_names_out().tolist(), "idf": vec.idf_.tolist(),
       "features": [{str(j): v for j, v in zip(X[i].indices.tolist(), X[i].data.tolist())} for i in range(X.shape[0])],
       "probs": {}}
for c in sys.argv[2:]:
    clf = LogisticRegression(C=float(c), tol=1e-12, max_iter=100000).fit(X[fit], [labels[i] for i in fit])
    out["probs"][c] = clf.predict_proba(X).tolist()
print(json.dumps(out))
