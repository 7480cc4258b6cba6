#!/usr/bin/env python3
"""Exit 0 when the probabilities of soft-target file ENSEMBLE equal the mean of
those of the MEMBER files, post by post (|difference| <= 1e-5), 1 otherwise.
    mean_probs.py ENSEMBLE.h5 MEMBER.h5 [MEMBER.h5 ...]"""
import sys

import h5py
import numpy as np


def probs_by_post(path):
    with h5py.File(path, "r") as h:
        ids = [x.decode() if isinstance(x, bytes) else x for x in h["post_id"][:]]
        return dict(zip(ids, h["probs"][:]))


ensemble, members = probs_by_post(sys.argv[1]), [probs_by_post(p) for p in sys.argv[2:]]
worst = 0.0
for post, p in ensemble.items():
    mean = np.mean([m[post] for m in members], axis=0)
    worst = max(worst, float(np.abs(p - mean).max()))
if worst > 1e-5 or any(len(m) != len(ensemble) for m in members):
    print(f"{sys.argv[1]}: not the mean of its members (largest difference {worst:g})")
    sys.exit(1)
print(f"ensemble probabilities = members' mean over {len(ensemble)} posts (largest difference {worst:.2g})")
