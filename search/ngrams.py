"""Character n-grams of Chinese text: the side index of short terms and the suggestions' vocabulary.

Chinese needs no word segmenter here: a run of letters, digits and ideographs is cut into overlapping pairs (and its
last character alone), so any 1- or 2-character term inside it is one token ("台账", or the prefix "台*").
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[^\W_]+")  # letters, digits and ideographs; punctuation, spaces and "_" end a run


def runs(text: str) -> list[str]:
    return _RUN.findall(text.lower())


def bigram_tokens(text: str) -> str:
    """Space-separated distinct tokens for the bigram index: every pair in every run, and each run's last
    character (so a one-character prefix query finds a character at the end of a run too)."""
    tokens: set[str] = set()
    for run in runs(text):
        tokens.update(run[i:i + 2] for i in range(len(run) - 1))
        tokens.add(run[-1])
    return " ".join(sorted(tokens))


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """Overlapping n-grams of each run (a run shorter than the smallest size counts as one gram)."""
    grams: list[str] = []
    for run in runs(text):
        if len(run) < min(sizes):
            grams.append(run)
            continue
        for size in sizes:
            grams.extend(run[i:i + size] for i in range(len(run) - size + 1))
    return grams
