"""Imported once by the fork server, before any worker is forked.

Everything a worker would otherwise build for itself — the grammar, the jieba
tokenizer with its domain dictionary, the traditional→simplified converter — is
built here, so every worker inherits it ready instead of paying for it again
(and the tokenizer is never initialised concurrently).
"""
from .. import grammar, pipeline  # noqa: F401  (imported for the workers)
from ..layout import tokens
from ..textnorm import to_simplified

grammar.load()
tokens.warm_up()
to_simplified("預熱")
