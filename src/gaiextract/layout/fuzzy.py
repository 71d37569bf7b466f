"""Matching a reworded heading to a section by its jieba tokens.

Used only when a heading matches no variant or keyword rule of sections.toml.
Each section's profile is the TF-IDF vector of the tokens of its official
heading and variants (idf over the six sections, so 政府信息公开 and 情况, which
every heading has, weigh little); a heading is scored by cosine similarity.
Adding a variant to the grammar therefore also widens the fuzzy profile.
"""
from __future__ import annotations

import math
import weakref
from collections import Counter

from ..grammar import Grammar
from ..textnorm import label_key
from . import tokens
from .per_object import PerObject
from .labels import strip_numbering

#: a fuzzy match must reach this similarity and beat the runner-up by MARGIN
MIN_SIMILARITY = 0.3
MARGIN = 0.08
#: added to a token's document frequency in its idf, log((n + 1) / (df + IDF_SMOOTHING)):
#: a token every section has keeps a small positive weight
IDF_SMOOTHING = 0.5


class SectionProfiles:
    def __init__(self, grammar: Grammar):
        # the grammar's tokenizer, and the grammar only weakly: these profiles are kept per
        # grammar object (weakly keyed), and a reference to it would keep it alive for ever
        self._grammar = weakref.ref(grammar)
        self._tokenizer = tokens.tokenizer(grammar)
        docs = {}
        for sdef in grammar.sections:
            words: list[str] = []
            for text in (label_key(strip_numbering(sdef.heading)),) + sdef.variants:
                words += tokens.cut_with(self._tokenizer, text)
            for group in sdef.all_of:
                words += [label_key(w) for w in group]
            docs[sdef.id] = Counter(words)
        n = len(docs)
        df = Counter(w for c in docs.values() for w in c)
        self.idf = {w: math.log((n + 1) / (df[w] + IDF_SMOOTHING)) for w in df}
        self.vectors = {sid: self._weigh(c) for sid, c in docs.items()}

    @property
    def grammar(self) -> Grammar | None:
        """The grammar these profiles were built from (None once it is freed)."""
        return self._grammar()

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        vec = {w: (1 + math.log(c)) * self.idf.get(w, 0.0) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def similarities(self, heading: str) -> dict[str, float]:
        """Cosine similarity of a heading (numbering removed) to each section."""
        toks = [t for t in tokens.cut_with(self._tokenizer, label_key(strip_numbering(heading))) if t in self.idf]
        if not toks:
            return {sid: 0.0 for sid in self.vectors}
        q = self._weigh(Counter(toks))
        return {sid: sum(q[w] * v.get(w, 0.0) for w in q) for sid, v in self.vectors.items()}

    def best(self, heading: str):
        """(section id, similarity) when one section clearly fits, else None."""
        sims = sorted(self.similarities(heading).items(), key=lambda t: -t[1])
        if sims[0][1] >= MIN_SIMILARITY and sims[0][1] - sims[1][1] >= MARGIN:
            return sims[0]
        return None


#: each grammar object's profiles (a user's grammar has its own)
_profiles: PerObject[SectionProfiles] = PerObject()


def profiles(grammar: Grammar) -> SectionProfiles:
    """The profiles of a grammar, built once per grammar object."""
    return _profiles.get(grammar, lambda: SectionProfiles(grammar))
