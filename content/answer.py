"""The search service: candidates from every tier, then a second stage that decides, for each,
whether it answers the question; an honest tier on every hit.

Understanding. ``content.understand`` cuts the query into content words: question frames (怎么
理解、什么是、有什么要求) and the personal context of a long question (我在…局、最近、反映、这类)
are dropped, everyday words carry the official terms they stand for. A question about one of the
four 慎 (by name, traditional script, pinyin, a homophone typo, or described: 独处, nobody is
watching; ``content.shen.asked_about``) proposes the preface's sentence naming them and the
passages ``/shen`` names.

Candidates. The precise tier (``content.search``: exact words, typos, pinyin, traditional script)
finds where the query's words stand; the related tier finds passages that cover what a question
asks in the speech's own terms; the dense tier (``content.dense``) finds passages whose meaning
is close, in Chinese or English, for the query as typed and, for a long question, for its
content words alone. Each proposes nodes.

Second stage. Each proposed node gets features (``FEATURES``): did the precise tier match it and
how well, how much of the query's weight the related tier and the node's own text cover (its own
words, and with the official terms), BM25 of the node for the content words, the node's and its
best sentence's cosine, the gap to the best cosine and the dense rank, whether it is a principle's
passage, the cosine again for Latin-script queries, the share of the query's weight the speech
never uses, and whether the question is long. A logistic model fitted on the development set with
cross-validation by query (``benchmarks/fit_ranker.py``; the held-out set is never read) turns
them into the probability that the node answers. Nodes are ranked by it; each node once.

Tiers, as the member reads them. **exact** (📌 原文) when the words are in the speech: the precise
tier matched, or every content word stands in the node's own text (the sentence shown is the one
holding most of them), or the query names a principle (the preface). **related** (🔗 相关) when
the probability is at least ``RELATED_P`` or the node is a passage of a principle asked about: it
answers in other words. **nearest** (〰️ 相近) at or above ``NEAREST_P``: near the question, never
presented as an answer, and worded so (it does not say the speech is silent). Below the floor,
no passage at all: the bot says the speech does not address it and offers the outline and the
four 慎. ``benchmarks/quality.py`` reports, per category, how often a right passage is shown as
原文 or 相关, on the held-out set apart.

Speed. Query vectors are kept in a small LRU; ``answer`` is synchronous and meant to run off
the event loop (``asyncio.to_thread``). ``warm()`` loads the encoder and the matrix ahead.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Container
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from content.dense import DenseIndex
from content.folding import fold, fold_with_map, pinyin, to_simplified
from content.model import Node, Speech
from content.search import MAX_QUERY, Hit, Tier
from content.sentences import split_sentences
from content.shen import Asked, Principle, asked_about
from content.understand import ENGLISH_FILLERS, GENERIC, Term, cleaned, coverage, understand

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from content.encoder import Encoder
    from content.glosses import Glosses

log = logging.getLogger(__name__)

# Fitted by ``python -m benchmarks.fit_ranker`` on the development set (logistic regression,
# cross-validated by query; the held-out set is never read). Order: see ``FEATURES``.
FEATURES = ("bias", "exact", "exact_score", "related", "literal", "covered", "cosine", "sentence_cosine", "gap",
            "dense_rank", "bm25", "principle", "english_cosine", "unseen", "long", "translated", "margin",
            "unseen_short", "fact", "key_word", "related_first",
            # Interactions: an English question, a long one, a question after a fact read the same
            # evidence differently (a translation's words, the margin over the next passage).
            "en_translated", "en_margin", "en_gap", "en_sentence_cosine", "en_bm25", "long_cosine", "long_margin",
            "long_covered", "fact_cosine", "unseen_margin")
WEIGHTS = (-4.804, 1.298, 1.365, -0.002, -0.383, 2.270, 1.031, 0.261,
           0.814, 1.083, 2.029, 1.034, -0.285, 0.503, 0.521, 0.864,
           2.902, -0.687, -1.253, 0.578, 1.468, 3.148, 1.259, 0.362,
           -0.784, -1.285, 0.412, 0.950, 0.811, 0.677, 1.048)
BM25_K1, BM25_B = 1.2, 0.75
RELATED_P = 0.37  # probability at or above which a passage is said to answer (相关)
NEAREST_P = 0.05  # below it, a passage is not shown at all
NEAREST_MAX = 3
DENSE_CANDIDATES = 8
VECTOR_CACHE = 512
ORDER: dict[Tier, int] = {"exact": 0, "related": 1, "nearest": 2}


@dataclass(frozen=True)
class Candidate:
    """A node some tier found for a query, with what each tier said of it."""

    node: str
    features: tuple[float, ...]
    exact: Hit | None
    related: Hit | None
    row: int  # the node's best sentence row in the dense index, -1 if none
    literal: Hit | None = None  # a sentence holding every content word of the query: 原文 whatever the model says
    principle: Asked | None = None  # the preface, for a principle the query names, spells or describes

    def probability(self, weights: tuple[float, ...] = WEIGHTS) -> float:
        """How likely this node answers the query (the fitted logistic model)."""
        z = sum(w * f for w, f in zip(weights, self.features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_VECTORS: weakref.WeakKeyDictionary[Encoder, OrderedDict[str, NDArray[np.float32]]] = weakref.WeakKeyDictionary()
_VECTORS_LOCK = threading.Lock()


def query_vector(encoder: Encoder, query: str) -> NDArray[np.float32]:
    """The query's vector by ``encoder``, from an LRU of ``VECTOR_CACHE`` per encoder that every
    searcher shares: a search of every text of the library encodes the query once, not once per
    text (``benchmarks/library.py``: 0.8 s of a 1.8 s search of 200 texts was the same query
    encoded 201 times). Same encoder, same query, same vector: the results do not change."""
    key = to_simplified(unicodedata.normalize("NFKC", query).strip().lower())
    with _VECTORS_LOCK:
        vectors = _VECTORS.setdefault(encoder, OrderedDict())
        cached = vectors.get(key)
        if cached is not None:
            vectors.move_to_end(key)
            return cached
    vector: NDArray[np.float32] = encoder.encode([key])[0]
    with _VECTORS_LOCK:
        vectors[key] = vector
        while len(vectors) > VECTOR_CACHE:
            vectors.popitem(last=False)
    return vector


class Searcher:
    """Answers queries over one speech (see the module docstring); thread-safe."""

    def __init__(self, speech: Speech, encoder: Encoder | None = None, cache_dir: Path | None = None,
                 glosses: Glosses | None = None) -> None:
        self.speech = speech
        self.encoder = encoder
        self.cache_dir = cache_dir
        self.glosses = glosses
        self._dense: DenseIndex | None = None
        self._nodes: dict[str, _NodeText] | None = None
        self._lock = threading.RLock()

    @property
    def dense(self) -> DenseIndex | None:
        """The dense index, built (or read from the cache) on first use; None without an encoder."""
        if self.encoder is None:
            return None
        with self._lock:
            if self._dense is None:
                try:
                    self._dense = DenseIndex.build(self.speech, self.encoder, self.cache_dir, self.glosses)
                except Exception:  # a broken model install must not take search down with it
                    log.exception("the dense search tier is off: the encoder %s failed", self.encoder.name)
                    self.encoder = None
            return self._dense

    def warm(self) -> None:
        """Build every index and load the encoder now, so the first member does not wait."""
        self.speech.index.lexicon  # noqa: B018 - the precise and related tiers' indexes
        self._texts()
        if self.dense is not None:
            self._vector("慎独")

    def _vector(self, query: str) -> NDArray[np.float32]:
        assert self.encoder is not None
        return query_vector(self.encoder, query)

    def _texts(self) -> dict[str, _NodeText]:
        """Each node's own text (its heading and lead, not its children's), folded, spelled, its
        sentences cut at punctuation, and its glosses' words; built once."""
        with self._lock:
            if self._nodes is None:
                self._nodes = {node.id: self._node_text(node) for node in self.speech.nodes()}
            return self._nodes

    def _node_text(self, node: Node) -> _NodeText:
        own = "".join(node.own_paragraphs())
        folded = fold(own)
        sentences = tuple((sentence, tuple(fold(chunk) for chunk in _PUNCTUATION.split(sentence) if chunk))
                          for paragraph in node.own_paragraphs() for sentence in
                          (s.strip() for s in split_sentences(paragraph)) if sentence)
        gloss = self.glosses.get(node.id) if self.glosses is not None else None
        english = frozenset(stems(f"{gloss.heading_en} {gloss.gloss_en}")) if gloss else frozenset()
        return _NodeText(folded, pinyin(own), len(folded), sentences, english, fold(gloss.plain_zh) if gloss else "")

    def candidates(self, query: str, limit: int = 5) -> list[Candidate]:
        """Every node a tier finds for ``query``, with its features (``FEATURES``)."""
        query = query[:MAX_QUERY]
        if not query.strip():
            return []
        nodes = self._texts()
        lexicon = self.speech.index.lexicon
        terms = understand(query, lexicon)
        asked = asked_about(query, lexicon.df)
        # Sentence hits, many per node for a common word (纪律): ask for enough to fill ``limit`` nodes.
        exact = _first_per_node(self.speech.search(cleaned(query), max(60, limit * 12)))
        if any(how == "spelled" for _, how in asked):  # shendu is 慎独, not the 深度 that sounds alike
            exact = {node: hit for node, hit in exact.items() if any(item.name in hit.text for item, _ in asked)}
        if not exact and not asked and sum(len(term.text) for term in terms) < 2 \
                and not any(term.alternatives or term.spelled for term in terms):
            return []  # nothing asked about (你好, 🙂, ？？): no passage is near it
        related = _first_per_node(self.speech.related(query, limit * 2))
        # The preface names all four; then the passages /shen names for each principle asked about.
        principled = {node for item, _ in asked for node in ("preface", *item.passages) if node in nodes}
        preface = min((how for _, how in asked), key=("named", "spelled", "described").index, default=None)
        dense = self._dense_scores(query, terms)
        ranked = sorted(dense, key=lambda node: -dense[node][0])
        top = dense[ranked[0]][0] if ranked else 0.0
        letters = [ch for ch in query if ch.isalpha()]
        english = sum(ch.isascii() for ch in letters) / len(letters) if letters else 0.0
        literal = self._literal(terms)
        sentences = self._whole_sentences(terms)
        translated = self._translated(query, terms)
        bm25 = self._bm25(terms)
        best_bm25 = max(bm25.values(), default=0.0) or 1.0
        total = sum(term.weight for term in terms) or 1.0
        unseen = sum(term.weight for term in terms if self._missing(term, lexicon.df)) / total
        fact = float(bool(_FACT.search(to_simplified(query).lower())))
        long = float(len(fold(query)) > 20)
        known = [term for term in terms if len(term.text) >= 2 and not self._missing(term, lexicon.df)]
        key = max(known, key=lambda term: term.weight) if known else None
        proposed = dict.fromkeys([*exact, *related, *principled, *sentences, *ranked[:DENSE_CANDIDATES],
                                  *sorted(translated, key=lambda n: -translated[n])[:3]])
        found = []
        for node in proposed:
            cosine, sentence_cosine, row = dense.get(node, (0.0, 0.0, -1))
            others = max((dense[other][0] for other in ranked[:2] if other != node), default=0.0)
            rank = ranked.index(node) if node in dense else len(ranked)
            hit, near = exact.get(node), related.get(node)
            text = nodes[node]
            covered = coverage(terms, text.folded, text.spelled) if terms else 0.0
            base = (1.0, float(hit is not None), hit.score / 100 if hit else 0.0, near.score / 100 if near else 0.0,
                    literal.get(node, 0.0), covered, cosine, sentence_cosine, cosine - top if dense else -1.0,
                    1.0 / (1 + rank), bm25.get(node, 0.0) / best_bm25, float(node in principled), english * cosine,
                    unseen, long, translated.get(node, 0.0), cosine - others if dense else -1.0,
                    unseen * (1 - long), fact, float(key is not None and key.covered_by(text.folded, text.spelled)),
                    float(bool(related) and node == next(iter(related))))
            features = (*base, *_interactions(base, english, long, fact, unseen))
            whole = sentences.get(node)
            if node == "preface" and preface is not None:
                whole = whole if preface == "described" else self._principle_sentence([i for i, _ in asked])
                found.append(Candidate(node, features, hit, near, row, whole, preface))
            else:
                found.append(Candidate(node, features, hit, near, row, whole))
        return found

    def _whole_sentences(self, terms: list[Term]) -> dict[str, Hit]:
        """node → its first sentence in which every content word of the query stands, each inside
        one stretch between punctuation marks (主义、官僚 is not 主义官僚), each marked; the
        everyday subjects (干部, 政府) need not stand there, one character is never enough."""
        needed = [term for term in terms if term.text not in GENERIC]
        if not needed or any(len(term.text) < 2 for term in needed):
            return {}
        found: dict[str, Hit] = {}
        for node, text in self._texts().items():
            if not all(term.text in text.folded for term in needed):
                continue
            for sentence, chunks in text.sentences:
                if all(any(term.text in chunk for chunk in chunks) for term in needed):
                    folded, positions = fold_with_map(sentence)
                    spans = {(positions[start], positions[start + len(term.text) - 1] + 1)
                             for term in terms if term.text and (start := folded.find(term.text)) >= 0}
                    found[node] = Hit(id=node, score=0.0, text=sentence, spans=tuple(sorted(spans)))
                    break
        return found

    def _literal(self, terms: list[Term]) -> dict[str, float]:
        """node → the share of the query's weight whose own words stand in the node's own text."""
        total = sum(term.weight for term in terms if term.text)
        if not total:
            return {}
        shares = {}
        for node, text in self._texts().items():
            # One character (好, 美) stands in most passages: it never makes a passage say the words.
            covered = sum(term.weight for term in terms if len(term.text) >= 2 and term.text in text.folded)
            if covered:
                shares[node] = covered / total
        return shares

    def _translated(self, query: str, terms: list[Term]) -> dict[str, float]:
        """node → the share of the query's words its glosses use: the English words of an
        English query in the node's translation (weighted by how rare each is among the nodes),
        the Chinese content words of a question in its plain-language restatement."""
        nodes = self._texts()
        if query.isascii():
            words = set(stems(query))
            weights = {w: math.log(1 + len(nodes) / (1 + sum(w in t.english for t in nodes.values()))) for w in words}
            total = sum(weights.values())
            if not total:
                return {}
            return {node: share for node, text in nodes.items()
                    if (share := sum(v for w, v in weights.items() if w in text.english) / total)}
        chinese = [term for term in terms if term.text and not term.text.isascii()]
        total = sum(term.weight for term in chinese)
        if not total:
            return {}
        return {node: share for node, text in nodes.items() if text.plain
                and (share := sum(t.weight for t in chinese if len(t.text) >= 2 and t.text in text.plain) / total)}

    @cached_property
    def _spelled(self) -> str:
        return "\n".join(text.spelled for text in self._texts().values())

    def _missing(self, term: Term, words: Container[str]) -> bool:
        """A word the speech never uses, in no official term and no homophone: what the speech
        does not talk about (芯片, 党费), unlike a typo (慎读) or an everyday word (卖地)."""
        if not term.text or term.text in words or term.alternatives:
            return False
        return not (term.spelled and term.spelled in self._spelled)

    def _bm25(self, terms: list[Term]) -> dict[str, float]:
        """Okapi BM25 of each node's own text for the query's words (each with its official terms)."""
        nodes = self._texts()
        average = sum(text.length for text in nodes.values()) / (len(nodes) or 1)
        scores: dict[str, float] = {}
        for term in terms:
            words = [word for word in (term.text, *term.alternatives) if word]
            if not words:
                continue
            counts = {node: sum(text.folded.count(word) for word in words) for node, text in nodes.items()}
            df = sum(1 for count in counts.values() if count)
            if not df:
                continue
            idf = math.log(1 + (len(nodes) - df + 0.5) / (df + 0.5))
            for node, count in counts.items():
                if count:
                    norm = count + BM25_K1 * (1 - BM25_B + BM25_B * nodes[node].length / average)
                    scores[node] = scores.get(node, 0.0) + idf * count * (BM25_K1 + 1) / norm
        return scores

    def answer(self, query: str, limit: int = 5) -> list[Hit]:
        """The hits for ``query``, best first, each node once, each with its tier; [] when
        nothing in the speech is close enough to show (see the module docstring)."""
        if limit <= 0:
            return []
        hits = []
        lead = ""
        for candidate in self.candidates(query, limit):
            probability = candidate.probability()
            tier: Tier
            if candidate.exact is not None or candidate.literal is not None:
                tier = "exact"
            elif probability >= RELATED_P or candidate.principle == "described":
                tier = "related"
            elif probability >= NEAREST_P:
                tier = "nearest"
            else:
                continue  # too far to show at all
            if candidate.principle is not None:
                lead = candidate.node  # the preface names the principle asked about: it leads its tier
            hits.append(self._hit(candidate, tier, probability))
        hits.sort(key=lambda hit: (ORDER[hit.tier], hit.id != lead, -hit.score))
        claimed = [hit for hit in hits if hit.tier != "nearest"][:limit]
        if any(hit.tier == "exact" for hit in claimed):
            return claimed  # the member's words are in the speech: no need for guesses beside them
        room = min(limit, NEAREST_MAX) - len(claimed)  # the closest others, shown as such
        return claimed + [hit for hit in hits if hit.tier == "nearest"][: max(0, room)]

    def _dense_scores(self, query: str, terms: list[Term]) -> dict[str, tuple[float, float, int]]:
        """node → (score, best sentence cosine, its row), the best over the query as typed and,
        for a long question, its content words alone (the context and frame dropped)."""
        index = self.dense
        if index is None or not any(ch.isalnum() for ch in query):
            return {}
        scores = index.per_node(self._vector(query))
        focus = " ".join(term.text for term in terms if term.text)
        if len(fold(query)) > 12 and focus and not query.isascii() and focus != fold(query):
            for node, values in index.per_node(self._vector(focus)).items():
                if values[0] > scores[node][0]:
                    scores[node] = values
        return scores

    def _hit(self, candidate: Candidate, tier: Tier, probability: float) -> Hit:
        node = self.speech.node(candidate.node)
        score = round(probability, 3)
        found = candidate.literal or candidate.exact or candidate.related
        if found is not None:
            return found.model_copy(update={"score": score, "label": node.label, "tier": tier})
        dense = self.dense
        text = dense.rows[candidate.row].text if dense is not None and candidate.row >= 0 else ""
        return Hit(id=candidate.node, text=text or node.sentences[0].strip(), score=score, label=node.label, tier=tier)

    def _principle_sentence(self, asked: list[Principle]) -> Hit | None:
        """The preface's sentence naming the four 慎, with the principles asked about marked."""
        names = [item.name for item in asked]
        for sentence, _ in self._texts()["preface"].sentences:
            if all(name in sentence for name in names):
                spans = tuple(sorted((sentence.index(name), sentence.index(name) + len(name)) for name in names))
                return Hit(id="preface", score=0.0, text=sentence, spans=spans)
        return None


def _interactions(base: tuple[float, ...], english: float, long: float, fact: float,
                  unseen: float) -> tuple[float, ...]:
    """The interaction features of ``FEATURES``, from the base ones."""
    value = dict(zip(FEATURES, base, strict=False))
    return (english * value["translated"], english * value["margin"], english * value["gap"],
            english * value["sentence_cosine"], english * value["bm25"], long * value["cosine"],
            long * value["margin"], long * value["covered"], fact * value["cosine"], unseen * value["margin"])


@dataclass(frozen=True)
class _NodeText:
    folded: str
    spelled: str
    length: int
    sentences: tuple[tuple[str, tuple[str, ...]], ...]  # each own sentence, and its stretches between punctuation
    english: frozenset[str] = frozenset()  # word stems of its English heading and translation (glosses)
    plain: str = ""  # its plain-language restatement, folded (glosses)


_ENGLISH_WORD = re.compile(r"[a-z]{3,}")
_PUNCTUATION = re.compile(r"[^\w]+")
# A question after a fact the speech would have to state: a number, a date, a place, a name.
_FACT = re.compile(r"多少|几[个次年月天号点位条项家菜种]|什么时候|啥时|何时|哪天|哪年|哪一年|哪里|哪儿|在哪|"
                   r"什么地方|哪个位置|具体是|具体在|多久|多长时间|多大|多高|哪家|哪些公司|哪些企业|谁负责|叫什么|"
                   r"how much|how many|what time|when will|when is|when did|where|which compan|exact|"
                   r"what is the (rate|number|amount|figure|target)|how long|how big|who is")


def stems(text: str) -> list[str]:
    """English content words of ``text`` cut to a crude stem (sales → sale, watching → watch,
    corruption → corrupt), so a question and a translation meet on the word, not its ending."""
    found = []
    for word in _ENGLISH_WORD.findall(text.lower()):
        if word in ENGLISH_FILLERS:
            continue
        for suffix in ("ations", "ation", "ions", "ion", "ing", "ies", "ed", "es", "ly", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        found.append(word)
    return found


def _first_per_node(hits: list[Hit]) -> dict[str, Hit]:
    """The best hit of each node, in the tier's order."""
    found: dict[str, Hit] = {}
    for hit in hits:
        found.setdefault(hit.id, hit)
    return found
