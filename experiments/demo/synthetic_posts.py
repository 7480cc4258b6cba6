#!/usr/bin/env python3
"""Writes a small synthetic, labelled corpus (CSV: id,text,label) made from
templates with a seeded generator: the built-in demo corpus and the fixtures
of end-to-end tests; no real person wrote any of it. Label "concern" posts
draw their words mostly from distress vocabulary, "ok" posts mostly from
everyday vocabulary; a third of the words come from the other list, so the
task is learnable but not trivial.

    synthetic_posts.py OUT.csv N [SEED]"""
import csv
import random
import sys

out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
words = {
    "concern": ["alone", "empty", "hopeless", "tired", "afraid", "crying", "worthless", "numb", "lost", "hurt"],
    "ok": ["coffee", "sunny", "friends", "music", "garden", "walk", "dinner", "weekend", "movie", "laugh"],
}
openers = ["Today I felt", "Lately everything is", "I keep thinking about being", "My week was", "Honestly I am"]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "text", "label"])
    for i in range(n):
        label = "concern" if i % 2 else "ok"
        sentences = []
        for _ in range(rng.randint(1, 3)):
            other = "ok" if label == "concern" else "concern"
            picked = [rng.choice(words[other] if rng.random() < 0.33 else words[label]) for _ in range(3)]
            sentences.append(f"{rng.choice(openers)} {picked[0]} and {picked[1]}, maybe {picked[2]}.")
        w.writerow([f"syn{i:04d}", " ".join(sentences), label])
