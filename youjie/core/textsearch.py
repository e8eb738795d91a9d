"""Chinese full-text search: jieba segmentation (with a legal dictionary) into an index.

SQLite: an FTS5 table with the ``unicode61`` tokenizer over space-separated jieba tokens.
PostgreSQL: a ``tsvector`` built with the 'simple' configuration over the same tokens.
Trigram tokenizers miss two-character words (诉讼, 送达), so neither uses them.
jieba costs about 1.3 s and 77 MiB to initialise: it is loaded on first use only.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()
_TOKENIZER: Any = None
LEGAL_DICTIONARY = Path(__file__).resolve().parent / "data" / "legal_dict.txt"
_KEEP = re.compile(r"[\w]", re.UNICODE)
MAX_QUERY_TERMS = 8


def _tokenizer() -> Any:
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(LEGAL_DICTIONARY))
                _TOKENIZER = tokenizer
    return _TOKENIZER


def segment(text: str) -> list[str]:
    """Search-mode tokens (long words and their parts), lower-cased, punctuation dropped."""
    tokens = _tokenizer().cut_for_search(text)
    return [token.lower() for token in tokens if token.strip() and _KEEP.search(token)]


def index_text(*parts: str) -> str:
    return " ".join(segment(" ".join(part for part in parts if part)))


def query_terms(query: str) -> list[str]:
    """The distinct words of a user's query (precise mode), ANDed by the index query."""
    words = [w.lower() for w in _tokenizer().cut(query) if w.strip() and _KEEP.search(w)]
    unique: list[str] = []
    for word in words:
        if word not in unique:
            unique.append(word)
    return unique[:MAX_QUERY_TERMS]


def fts5_match_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: each term quoted (no operators from user input), ANDed."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
