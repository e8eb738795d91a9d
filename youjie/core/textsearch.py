"""Chinese full-text search: jieba segmentation (with a legal dictionary) into an index.

SQLite: an FTS5 table with the ``unicode61`` tokenizer over space-separated jieba tokens.
PostgreSQL: a ``tsvector`` built with the 'simple' configuration over the same tokens.
Trigram tokenizers miss two-character words (诉讼, 送达), so neither uses them.

The segmenter is jieba-rs (package ``rjieba``): jieba's dictionary, DAG and HMM in Rust, which
gives jieba's tokens (tested token for token against the Python package, decision 0006) about
thirty times faster: ~0.02 ms for a 220-character request instead of 0.5 ms. It is loaded on
first use (≈0.3 s).

Importing ``rjieba`` builds a segmenter with jieba's dictionary, the one behind its module
functions (``rjieba.cut``, ``rjieba.add_word``, …). The legal words are added to that segmenter
and its functions are used: a second ``rjieba.Jieba()`` would hold a second copy of the same
dictionary, ≈24 MB more in every process. Nothing else in the project segments with rjieba.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Protocol


class Segmenter(Protocol):
    """What is used of rjieba: its module functions, on its default segmenter."""

    def cut(self, text: str, hmm: bool = True) -> list[str]: ...
    def cut_for_search(self, text: str, hmm: bool = True) -> list[str]: ...


_LOCK = threading.Lock()
_TOKENIZER: Segmenter | None = None
LEGAL_DICTIONARY = Path(__file__).resolve().parent / "data" / "legal_dict.txt"
_KEEP = re.compile(r"[\w]", re.UNICODE)
# A user dictionary line as jieba reads it: the word, then an optional frequency and tag.
_USER_WORD = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")
MAX_QUERY_TERMS = 8


def user_dictionary(path: Path = LEGAL_DICTIONARY) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) per line of a jieba user dictionary."""
    entries: list[tuple[str, int | None, str | None]] = []
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        match = _USER_WORD.match(line) if line else None
        if match is None:
            continue
        word, freq, tag = match.groups()
        entries.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return entries


def _tokenizer() -> Segmenter:
    """rjieba's default segmenter with the legal words added, once a process (see above)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import rjieba

                for word, freq, tag in user_dictionary():
                    rjieba.add_word(word, freq, tag)
                _TOKENIZER = rjieba
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
