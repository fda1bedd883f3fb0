"""Tolerant, honest, fast search over sentence-sized units.

Method. Every unit is folded once (``content.folding``: t2s, width, case, no punctuation)
and also spelled as toneless pinyin syllables. An inverted index maps each character bigram
(and each syllable bigram) to the units that contain it. A query is folded the same way and
split on spaces into terms; ASCII-letter queries are also read as pinyin. For each term the
index yields candidates that share enough bigrams to possibly score above the cut-off; only
those (at most ``MAX_CANDIDATES``, most shared first) are scored with rapidfuzz's
``partial_ratio`` (the best-matching window of the unit). A unit must match every term.

Cut-off (no filler hits). A term of three characters or fewer must occur exactly. A longer
term needs ``partial_ratio >= 75``, i.e. about one wrong character in four: 抓铁有恨 finds
抓铁有痕 (75), while a random phrase almost never aligns that well. Each edit breaks at most
two bigrams, so a unit sharing fewer than ``bigrams - 2 * (len // 4)`` of the term's bigrams
cannot pass and is never scored: the filter loses nothing the cut-off would keep.

Queries are cut to ``MAX_QUERY`` folded characters; any Unicode string is accepted.

The pinyin side of the index is built on the first pinyin query: most queries are Chinese,
and reading pypinyin's table costs about a third of a cold ``speechbot search``.
"""

from __future__ import annotations

import heapq
import html
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property
from itertools import islice
from typing import Literal

from pydantic import BaseModel, ConfigDict

from content.folding import fold, fold_with_map, pinyin, pinyin_query, pinyin_with_map
from content.understand import Lexicon, Term, coverage, understand

CUTOFF = 75.0
EXACT_UP_TO = 3
MAX_CANDIDATES = 300
MAX_QUERY = 200
RELATED_CUTOFF = 0.6  # share of the query's weight a related passage must cover (see understand)


Tier = Literal["exact", "related", "nearest"]


class Hit(BaseModel):
    """One search result: the unit's id, its verbatim text, the matched spans in it, and how
    sure the answer is (``content.answer``): the words are in the speech (exact), it answers in
    other words (related), or it is only the closest passage to a question it does not address
    (nearest)."""

    model_config = ConfigDict(frozen=True)

    id: str
    score: float
    text: str
    label: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    tier: Tier = "exact"

    def highlight(self, open_tag: str = "<b>", close_tag: str = "</b>",
                  escape: Callable[[str], str] = html.escape) -> str:
        """The text, escaped, with each matched span wrapped in the tags (HTML by default)."""
        out: list[str] = []
        position = 0
        for start, end in sorted(self.spans):
            if start < position:
                continue
            out += [escape(self.text[position:start]), open_tag, escape(self.text[start:end]), close_tag]
            position = end
        out.append(escape(self.text[position:]))
        return "".join(out)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``speechbot search --json``."""
        return {"id": self.id, "label": self.label, "text": self.text, "tier": self.tier, "score": self.score}


def _best_window(term: str, target: str, cutoff: float) -> tuple[int, int] | None:
    """Where ``term`` matches in ``target``: rapidfuzz's alignment, nudged so that equal-scoring
    windows prefer the one whose characters line up (抓铁有恨 marks 抓铁有痕, not 为抓铁有)."""
    exact = target.find(term)
    if exact >= 0:
        return exact, exact + len(term)
    from rapidfuzz import fuzz  # only fuzzy matches need it: exact queries start faster

    alignment = fuzz.partial_ratio_alignment(term, target)
    if not alignment or alignment.score < cutoff or alignment.dest_end <= alignment.dest_start:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    if len(term) > len(target):
        return start, end
    width = len(term)
    best = (-1, 0, start)
    for begin in range(max(0, start - 2), min(len(target) - width, start + 2) + 1):
        window = target[begin : begin + width]
        same = sum(a == b for a, b in zip(term, window, strict=True))
        best = max(best, (same, -abs(begin - start), begin))
    return (best[2], best[2] + width) if best[0] > 0 else (start, end)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


Postings = dict[str, "array[int]"]


def _invert(corpus: list[str]) -> Postings:
    """Bigram → the numbers of the units that contain it, ascending."""
    postings: dict[str, list[int]] = {}
    for number, text in enumerate(corpus):
        for gram in _bigrams(text):
            postings.setdefault(gram, []).append(number)
    return {gram: array("i", numbers) for gram, numbers in postings.items()}


class SearchIndex:
    """An inverted bigram index over ``(id, text)`` units; see the module docstring."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.texts: list[str] = []
        self._folded: list[str] = []
        self._postings: Postings = {}

    @classmethod
    def build(cls, units: Iterable[tuple[str, str]]) -> SearchIndex:
        """Index every unit; ids may repeat (several sentences of one node)."""
        index = cls()
        for unit_id, text in units:
            index.ids.append(unit_id)
            index.texts.append(text)
            index._folded.append(fold(text))
        index._postings = _invert(index._folded)
        return index

    @cached_property
    def lexicon(self) -> Lexicon:
        """The indexed text's words and their frequencies (the second tier, ``related``)."""
        return Lexicon(self._folded, self.texts)

    @cached_property
    def _spelled(self) -> tuple[list[str], Postings]:
        """Every unit as pinyin syllable codes, and their bigram postings."""
        corpus = [pinyin(text) for text in self.texts]
        return corpus, _invert(corpus)

    def __len__(self) -> int:
        return len(self.texts)

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best ``limit`` hits for ``query``, best first; [] when nothing is close enough."""
        if limit <= 0:
            return []
        scores: dict[int, float] = {}
        spellings: list[tuple[list[str], list[str], Postings]] = []
        terms = [t for t in (fold(part)[:MAX_QUERY] for part in query.split()) if t]
        if terms:
            spellings.append((terms, self._folded, self._postings))
        spelled = pinyin_query(query[: MAX_QUERY * 6])
        if spelled:
            spellings.append(([spelled], *self._spelled))
        for term_list, corpus, postings in spellings:
            for number, score in self._match_all(term_list, corpus, postings, limit).items():
                scores[number] = max(score, scores.get(number, 0.0))
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return [self._hit(number, score, terms, spelled) for number, score in best]

    def _match_all(self, terms: list[str], corpus: list[str], postings: Postings, limit: int) -> dict[int, float]:
        result: dict[int, float] | None = None
        for term in terms:
            # With one term, enough exact hits make fuzzy ones irrelevant to the top ``limit``.
            matched = self._match(term, corpus, postings, limit if len(terms) == 1 else None)
            result = matched if result is None else {n: result[n] + s for n, s in matched.items() if n in result}
            if not result:
                return {}
        assert result is not None
        return {n: round(total / len(terms), 1) for n, total in result.items()}

    @staticmethod
    def _postings_for(term: str, index: Postings) -> list[array[int]] | None:
        """The term's bigram postings, rarest first; None if some bigram occurs nowhere."""
        postings = []
        for gram in _bigrams(term):
            posting = index.get(gram)
            if posting is None:
                return None
            postings.append(posting)
        return sorted(postings, key=len)

    def _exact(self, term: str, corpus: list[str], index: Postings, enough: int | None) -> list[int]:
        """Units that contain ``term`` verbatim (folded), in index order; the first ``enough`` only
        when given (ties rank by index, so later ones could never reach the top)."""
        if len(term) < 2:
            found: Iterable[int] = (n for n, text in enumerate(corpus) if term in text)
            return list(islice(found, enough)) if enough else list(found)
        postings = self._postings_for(term, index)
        if postings is None:
            return []
        common = set(postings[0]).intersection(*postings[1:])
        ordered = (n for n in sorted(common) if term in corpus[n])
        return list(islice(ordered, enough)) if enough else list(ordered)

    @staticmethod
    def _fuzzy_candidates(term: str, index: Postings) -> list[int]:
        """Units sharing enough bigrams with ``term`` to reach the cut-off (see module doc)."""
        grams = _bigrams(term)
        needed = max(1, len(grams) - 2 * (len(term) // 4))
        postings = sorted((p for g in grams if (p := index.get(g)) is not None), key=len)
        if len(postings) < needed:
            return []
        # Pigeonhole: a unit with >= needed of the bigrams has one of the (len - needed + 1) rarest.
        seeds = set().union(*postings[: len(grams) - needed + 1])
        counts: Counter[int] = Counter()
        for posting in postings:
            counts.update(posting)
        eligible = [(-counts[n], n) for n in seeds if counts[n] >= needed]
        if len(eligible) > MAX_CANDIDATES:  # most shared bigrams first, then index order
            eligible.sort()
            del eligible[MAX_CANDIDATES:]
        return [n for _, n in eligible]

    def _match(self, term: str, corpus: list[str], index: Postings, enough: int | None) -> dict[int, float]:
        matched = dict.fromkeys(self._exact(term, corpus, index, enough), 100.0)
        if len(term) <= EXACT_UP_TO or (enough is not None and len(matched) >= enough):
            return matched
        choices = {n: corpus[n] for n in self._fuzzy_candidates(term, index) if n not in matched}
        if not choices:
            return matched
        from rapidfuzz import fuzz, process
        for _, score, number in process.extract(term, choices, scorer=fuzz.partial_ratio, score_cutoff=CUTOFF,
                                                limit=None):
            matched[number] = score
        return matched

    def _hit(self, number: int, score: float, terms: list[str], spelled: str | None) -> Hit:
        text = self.texts[number]
        pieces: list[tuple[str, str, list[int]]] = []
        if terms:
            folded, folded_map = fold_with_map(text)
            pieces += [(term, folded, folded_map) for term in terms]
        if spelled:
            syllables, syllable_map = pinyin_with_map(text)
            pieces.append((spelled, syllables, syllable_map))
        spans = set()
        for term, target, positions in pieces:
            window = _best_window(term, target, min(CUTOFF, score)) if target else None
            if window:
                spans.add((positions[window[0]], positions[window[1] - 1] + 1))
        return Hit(id=self.ids[number], score=score, text=text, spans=tuple(sorted(spans)))


# --- the second tier: related passages ------------------------------------------------------


def related(index: SearchIndex, query: str, limit: int = 5) -> list[Hit]:
    """Passages that answer ``query`` in other words, best first, one per node: each covers at
    least ``RELATED_CUTOFF`` of what the query asks about (``content.understand``), whatever the
    word order, with the speech's own terms for everyday words, and homophones for typos."""
    if limit <= 0:
        return []
    terms = understand(query[:MAX_QUERY], index.lexicon)
    if sum(len(term.text) for term in terms) < 2 and not any(t.alternatives or t.spelled for t in terms):
        return []  # one character (你好 → 好) says nothing about what the member wants
    spelled = index._spelled[0] if any(t.spelled for t in terms) else None
    asked = set(fold(query))
    best: dict[str, tuple[float, int, float, int]] = {}
    for number in _related_candidates(index, terms):
        folded = index._folded[number]
        share = coverage(terms, folded, spelled[number] if spelled else "")
        if share < RELATED_CUTOFF:
            continue
        # Ties: the passage with more of the words asked about (or their official terms), then
        # the one using more of the query's own characters.
        matched = sum(1 for t in terms for w in (t.text, *t.alternatives) if w and w in folded)
        overlap = len(asked & set(folded)) / (len(asked) or 1)
        key = (share, matched, overlap, -number)
        unit = index.ids[number]
        if unit not in best or key > best[unit]:
            best[unit] = key
    ranked = sorted(best.values(), reverse=True)[:limit]
    return [_related_hit(index, -negative, share, terms) for share, _, _, negative in ranked]


def _related_candidates(index: SearchIndex, terms: list[Term]) -> list[int]:
    """Units that share a bigram with some term or its official words (or its sound)."""
    found: set[int] = set()
    for term in terms:
        for word in (term.text, *term.alternatives):
            for gram in _bigrams(word):
                found.update(index._postings.get(gram, ()))
            if len(word) == 1:
                found.update(n for n, text in enumerate(index._folded) if word in text)
        if term.spelled:
            _, postings = index._spelled
            for gram in _bigrams(term.spelled):
                found.update(postings.get(gram, ()))
    return sorted(found)


def _related_hit(index: SearchIndex, number: int, share: float, terms: list[Term]) -> Hit:
    text = index.texts[number]
    folded, positions = fold_with_map(text)
    spans = set()
    for term in terms:
        for word in (term.text, *term.alternatives):
            start = folded.find(word) if word else -1
            while start >= 0:
                spans.add((positions[start], positions[start + len(word) - 1] + 1))
                start = folded.find(word, start + len(word))
    return Hit(id=index.ids[number], score=round(share * 100, 1), text=text, spans=tuple(sorted(spans)),
               tier="related")
