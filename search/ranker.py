"""Which criterion a folder's evidence proves: BM25 over character n-grams, offline, with nothing to download.

Each criterion is a document made of its code, title, evidence requirement, rule, its parent's title and its units.
A folder is asked as several queries, one per source (its own name, the folder names above it, the names of its
files, the text inside them), each scored with BM25 against the criteria and weighted by how much that source
tends to say: a folder's name is short and chosen by a person, the text is long and full of boilerplate. Character
pairs and triples need no word segmenter; BM25's inverse document frequency makes 食品/安全/创建, present in every
criterion, count for almost nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from criteria.model import Criterion
from search.ngrams import char_ngrams

K1, B = 1.2, 0.75
# the criterion's own fields, repeated as BM25 term frequency: a title word says more than a rule word
FIELD_WEIGHTS = (("title", 3), ("evidence", 2), ("rule", 1), ("parent", 1), ("units", 1))
# how much each source of a folder counts
SOURCE_WEIGHTS = {"name": 1.0, "context": 0.25, "files": 0.45, "text": 0.35}
WHY_IDF = 2.0  # a gram found in more than about an eighth of the criteria explains nothing (城市, 工作, 食品)
# the campaign's own words, in every notice of every department: never a reason
_BOILERPLATE = frozenset(char_ngrams("创建国家食品安全示范城市 工作情况报告 关于通知 县政府 各乡镇各部门"))
SOURCE_NAMES = {"name": "名称", "context": "上级文件夹", "files": "文件名", "text": "正文"}


@dataclass
class Profile:
    """What is known of a folder (or a file): its name, the folders above it, its files' names and their text."""

    name: str
    context: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Scored:
    code: str
    raw: float
    score: float  # 0..1, what "accept all above" compares: strength, and the lead over the best other criterion
    why: list[tuple[str, list[str]]]  # (source, the grams that matched most), strongest source first


class Ranker:
    def __init__(self, criteria: list[Criterion]):
        parents = {c.code: c for c in criteria}
        self.criteria = [c for c in criteria if not any(k.parent == c.code for k in criteria)]
        self.docs: list[Counter] = []
        for crit in self.criteria:
            parent = parents.get(crit.parent) if crit.parent else None
            fields = {"title": crit.title, "evidence": crit.evidence, "rule": crit.rule,
                      "parent": parent.title if parent else "", "units": " ".join(crit.units)}
            doc: Counter = Counter()
            for name, weight in FIELD_WEIGHTS:
                for gram in char_ngrams(fields[name]):
                    doc[gram] += weight
            self.docs.append(doc)
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for index, doc in enumerate(self.docs):
            for gram, tf in doc.items():
                self.postings.setdefault(gram, []).append((index, tf))
        count = len(self.docs)
        self.idf = {g: math.log(1 + (count - len(p) + 0.5) / (len(p) + 0.5)) for g, p in self.postings.items()}
        self.self_scores = [self._bm25(Counter({g: 1 for g in doc}))[0].get(i, 0.0) for i, doc in enumerate(self.docs)]

    def _bm25(self, query: Counter) -> tuple[dict[int, float], dict[int, dict[str, float]]]:
        scores: dict[int, float] = {}
        parts: dict[int, dict[str, float]] = {}
        for gram, weight in query.items():
            postings = self.postings.get(gram)
            if not postings:
                continue
            idf = self.idf[gram]
            for index, tf in postings:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[index] / self.avg))
                value = weight * idf * norm
                scores[index] = scores.get(index, 0.0) + value
                parts.setdefault(index, {})[gram] = value
        return scores, parts

    def rank(self, profile: Profile, top: int = 5) -> list[Scored]:
        total: dict[int, float] = {}
        why: dict[int, list[tuple[float, str, list[str]]]] = {}
        sources = {"name": profile.name, "context": " ".join(profile.context), "files": " ".join(profile.files),
                   "text": profile.text}
        for source, query in _queries(profile).items():
            scores, parts = self._bm25(query)
            weight = SOURCE_WEIGHTS[source]
            for index, value in scores.items():
                # normalised by what the criterion's own words would score: long rules do not win by length
                share = weight * value / max(self.self_scores[index], 1e-9)
                total[index] = total.get(index, 0.0) + share
                grams = [g for g in sorted(parts[index], key=lambda g, p=parts[index]: (-p[g], g))
                         if self.idf[g] > WHY_IDF and g not in _BOILERPLATE]
                why.setdefault(index, []).append((share, source, _merge(grams[:6], sources[source].lower())))
        best = sorted(total, key=lambda i: (-total[i], i))[:top]
        return [Scored(self.criteria[i].code, total[i], confidence(total, i),
                       [(source, grams) for _, source, grams in sorted(why[i], reverse=True)]) for i in best]


STRONG = 0.3  # a raw score this high is a clear match by itself (measured on the bench tree: right answers 0.1-0.8)


def confidence(total: dict[int, float], index: int) -> float:
    """Strength (raw against STRONG) times the share against the best other criterion: a tie scores at most half."""
    raw = total[index]
    other = max((v for i, v in total.items() if i != index), default=0.0)
    return round(min(1.0, raw / STRONG) * raw / (raw + other), 3) if raw > 0 else 0.0


def _queries(profile: Profile) -> dict[str, Counter]:
    """One bag of grams per source. Names count each gram once (a name says a thing once); the text's counts are
    dampened (a ledger repeating a word a hundred times is not a hundred times surer)."""
    queries = {"name": Counter(set(char_ngrams(profile.name))),
               "context": Counter(set(char_ngrams(" ".join(profile.context)))),
               "files": Counter({g: 1 + math.log(n) for g, n in Counter(
                   g for name in profile.files for g in set(char_ngrams(_stem(name)))).items()}),
               "text": Counter({g: 1 + math.log(n) for g, n in Counter(char_ngrams(profile.text)).items()})}
    return {source: query for source, query in queries.items() if query}


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _merge(grams: list[str], said: str) -> list[str]:
    """The strongest grams joined where they overlap ("细化方" + "化方案" = "细化方案"), those inside a longer one
    dropped, at most three. A join must occur in what the source said."""
    words: list[str] = []
    for gram in grams:
        for n, word in enumerate(words):
            joined = _overlap(word, gram, said) or _overlap(gram, word, said)
            if gram in word:
                break
            if joined:
                words[n] = joined
                break
        else:
            words.append(gram)
    changed = True
    while changed:  # words that now overlap each other ("门细化方", "部门细化")
        changed = False
        for a in range(len(words)):
            for b in range(len(words)):
                joined = None if a == b else (words[b] if words[a] in words[b] else _overlap(words[a], words[b], said))
                if joined:
                    words[a] = joined
                    del words[b]
                    changed = True
                    break
            if changed:
                break
    return words[:3]


def _overlap(left: str, right: str, said: str) -> str | None:
    for size in range(min(len(left), len(right)) - 1, 0, -1):
        if left.endswith(right[:size]) and (joined := left + right[size:]) in said:
            return joined
    return None


def describe(why: list[tuple[str, list[str]]]) -> str:
    """"名称含“快检”“市场”；正文含“合格证”" from the strongest sources."""
    parts = []
    for source, grams in why[:3]:
        if grams:
            parts.append(f"{SOURCE_NAMES[source]}含" + "".join(f"“{g}”" for g in grams))
    return "；".join(parts)
