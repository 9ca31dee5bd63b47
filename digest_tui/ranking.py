"""Ranking papers by what they say, offline: a BM25 index of the library (bm25s), used three
ways. Relevance: a query's words scored by BM25 (`sort:relevance`). More like this: the papers
whose BM25-weighted words are closest (cosine) to a paper's (`like:ID`, `m`). For you: the
unread papers closest to any paper you starred or tagged, each with the one it is closest to
(`sort:foryou`, the For you list).

A paper's words are its title (counted twice: a title weighs more), TL;DR and abstract: English
words in lower case without stop words, and each pair of neighbouring CJK characters (Chinese
and Japanese have no spaces between words; character pairs find most words without a
dictionary). Words in a single paper are left out. Measured on the shared half-year archive,
indexing the Chinese TL;DRs as pairs beside the English ranked better than English alone.

The index is built from the search index's text (no paper body is read), and cached. The
reader builds it in a process of its own (digest_tui.ranker runs `python -m digest_tui.ranking`:
documents in on stdin, the index out on stdout), so that building it never holds the reader's
interpreter.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import marshal
import os
import re
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from zipfile import BadZipFile, ZipFile

import numpy as np
import scipy.sparse as sp

from digest_tui import cache
from digest_tui.index import FIELD_END, DigestText
from digest_tui.ranker import END, RANKING_VERSION

if TYPE_CHECKING:
    from digest_tui.index import SearchIndex

LIKE_LIMIT = 100  # like:ID lists the papers most like ID, this many at most
_UNREADABLE = (OSError, KeyError, EOFError, ValueError, MemoryError, NotImplementedError,
               BadZipFile, zlib.error)  # fmt: skip
_LIKED_AT_ONCE = 64  # papers liked, compared with a library in one block
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_CJK_PAIR = re.compile(r"(?=([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]{2}))")
_STOP: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from bm25s.stopwords import STOPWORDS_EN

        _STOP = frozenset(STOPWORDS_EN)
    return _STOP


def words(text: str) -> list[str]:
    """The words of a text as the index counts them."""
    stop = _stop_words()
    text = text.lower()
    return [w for w in _WORD.findall(text) if w not in stop] + _CJK_PAIR.findall(text)


def paper_words(searchable: str) -> list[str]:
    """A paper's words, from its searchable text (index.searchable: id, title, authors, TL;DR,
    abstract)."""
    fields = searchable.split(FIELD_END)
    fields += [""] * (5 - len(fields))
    title, tldr, abstract = fields[1], fields[3], fields[4]
    return words(f"{title}\n{title}\n{tldr}\n{abstract}")


class Ranking:
    """The BM25 index of a library's papers: for each paper (a row), its words' BM25 weights,
    kept scaled to length 1 (`_unit`) with the length (`_norms`)."""

    def __init__(
        self,
        ids: Sequence[str],
        unit: sp.csr_matrix,
        norms: np.ndarray,
        words: tuple[np.ndarray, np.ndarray],
    ) -> None:
        self.ids = ids
        self.rows = {paper_id: row for row, paper_id in enumerate(ids)}
        self._unit = unit
        self._norms = norms
        # The words, as their keys (`word_key`) in order, and each one's column: a fraction of
        # what a dict of a year's million words would take.
        self._word_keys, self._word_columns = words
        self._liked: tuple[list[str], sp.csr_matrix] | None = None  # (closest's last liked)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, documents: Iterable[tuple[str, str]]) -> Ranking:
        """The index of (paper id, searchable text) pairs; a paper listed twice counts once."""
        import bm25s
        from bm25s.tokenization import Tokenized

        ids: list[str] = []
        seen: set[str] = set()
        vocabulary: dict[str, int] = {}
        token_ids: list[list[int]] = []
        add = vocabulary.setdefault
        for paper_id, text in documents:
            if paper_id in seen:
                continue
            seen.add(paper_id)
            ids.append(paper_id)
            token_ids.append([add(word, len(vocabulary)) for word in paper_words(text)])
        if not vocabulary:
            empty = sp.csr_matrix((len(ids), 0), dtype=np.float32)
            return cls(ids, empty, np.zeros(len(ids), dtype=np.float32), _word_index([]))
        retriever = bm25s.BM25()
        index = Tokenized(ids=token_ids, vocab=vocabulary)
        retriever.index(index, create_empty_token=False, show_progress=False)
        scores = retriever.scores
        weights = sp.csc_matrix(
            (scores["data"], scores["indices"], scores["indptr"]),
            shape=(len(ids), len(scores["indptr"]) - 1),
        )
        kept = np.flatnonzero(np.diff(weights.indptr) >= 2)  # words of one paper rank nothing
        weights = weights[:, kept].tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
        unit = sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ weights, dtype=np.float32)
        names = list(vocabulary)
        return cls(ids, unit, norms.astype(np.float32), _word_index([names[c] for c in kept]))

    # -- asking it -----------------------------------------------------------------------

    def _rows_of(self, among: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The papers of `among` in the index: their positions in it, and their rows."""
        if among == self.ids:  # the library in its order, as most lists are: no lookups
            everything = np.arange(len(among), dtype=np.int64)
            return everything, everything
        known = [(position, self.rows.get(i)) for position, i in enumerate(among)]
        positions = np.array([p for p, row in known if row is not None], dtype=np.int64)
        rows = np.array([row for _, row in known if row is not None], dtype=np.int64)
        return positions, rows

    def similar(
        self, paper_ids: Sequence[str], among: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each paper of `among`, its closeness (cosine, 0 to 1) to the closest of
        `paper_ids`, and which of them that is (its index in `paper_ids`; -1 for none)."""
        scores = np.zeros(len(among), dtype=np.float32)
        closest = np.full(len(among), -1, dtype=np.int64)
        wanted = [(n, self.rows[i]) for n, i in enumerate(paper_ids) if i in self.rows]
        positions, rows = self._rows_of(among)
        if not wanted or not len(rows):
            return scores, closest
        # Most of the library: multiplied whole, not copied row by row.
        whole = len(rows) > len(self) // 4
        candidates = self._unit if whole else self._unit[rows]
        found = np.zeros(len(rows), dtype=np.float32)
        for start in range(0, len(wanted), _LIKED_AT_ONCE):  # a dense block of bounded size
            batch = wanted[start : start + _LIKED_AT_ONCE]
            liked = self._unit[[row for _, row in batch]]
            words = np.unique(liked.indices)  # only they count: the rest multiply by zero
            product = candidates[:, words] @ liked[:, words].T.toarray()
            if whole:
                product = product[rows]
            best = product.argmax(axis=1)
            values = product[np.arange(len(rows)), best]
            better = values > found
            found[better] = values[better]
            numbers = np.array([n for n, _ in batch], dtype=np.int64)
            closest[positions[better]] = numbers[best[better]]
        scores[positions] = found
        return scores, closest

    def like(self, paper_id: str, among: Sequence[str], limit: int = LIKE_LIMIT) -> list[str]:
        """The papers of `among` most like `paper_id`, best first (the paper itself left out,
        and those with no word in common), at most `limit`."""
        scores, _ = self.similar([paper_id], among)
        found = []
        for k in np.argsort(-scores, kind="stable").tolist():
            if len(found) == limit or scores[k] <= 0:
                break
            if among[k] != paper_id:
                found.append(among[k])
        return found

    def for_you(self, liked: Sequence[str], among: Sequence[str]) -> list[str]:
        """`among`, the papers most like any of `liked` first (the liked ones left out)."""
        scores, _ = self.similar(liked, among)
        left_out = set(liked)
        order = np.argsort(-scores, kind="stable")
        return [among[k] for k in order if among[k] not in left_out]

    def closest(self, paper_id: str, liked: Sequence[str]) -> tuple[str, float] | None:
        """Which of `liked` a paper is most like, and how much (cosine); None for none."""
        row = self.rows.get(paper_id)
        others = [i for i in liked if i != paper_id and i in self.rows]
        if row is None or not others:
            return None
        if self._liked is None or self._liked[0] != others:  # the same as the last, mostly
            self._liked = (others, self._unit[[self.rows[i] for i in others]])
        product = (self._liked[1] @ self._unit[row].T).toarray().ravel()
        best = int(product.argmax())
        return (others[best], float(product[best])) if product[best] > 0 else None

    def relevance(self, query_words: Sequence[str], among: Sequence[str]) -> list[str]:
        """`among`, ranked by the BM25 score of the words (stable: equal scores keep their
        order)."""
        keys = np.array(
            sorted({word_key(word) for text in query_words for word in words(text)}),
            dtype=np.uint64,
        )
        positions = np.searchsorted(self._word_keys, keys)
        inside = positions < len(self._word_keys)
        positions, keys = positions[inside], keys[inside]
        present = positions[self._word_keys[positions] == keys]
        columns = sorted(self._word_columns[present].tolist())
        if not columns or not among:
            return list(among)
        positions, rows = self._rows_of(among)
        scores = np.zeros(len(among), dtype=np.float32)
        if len(rows):
            picked = self._unit[:, columns][rows]  # the words' columns first: a small copy
            weights = np.asarray(picked.sum(axis=1)).ravel() * self._norms[rows]
            scores[positions] = weights
        return [among[k] for k in np.argsort(-scores, kind="stable")]

    # -- kept in the cache ---------------------------------------------------------------

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        unit = self._unit
        np.savez(
            out,
            version=np.array([RANKING_VERSION]),
            shape=np.array(unit.shape, dtype=np.int64),
            data=unit.data,
            indices=unit.indices,
            indptr=unit.indptr,
            norms=self._norms,
            ids=np.frombuffer("".join(self.ids).encode(), dtype=np.uint8),
            id_lengths=np.array([len(i.encode()) for i in self.ids], dtype=np.int64),
            word_keys=self._word_keys,
            word_columns=self._word_columns,
        )
        return out.getvalue()

    @classmethod
    def read(cls, source: bytes | Path) -> Ranking:
        """The index `to_bytes` wrote (or a file of it); ValueError for anything else, whole
        or damaged."""
        try:
            data = io.BytesIO(source) if isinstance(source, bytes) else source
            with ZipFile(data) as whole:  # every member against its checksum (numpy does not)
                if whole.testzip() is not None:
                    raise ValueError("a damaged ranking index")
            if isinstance(data, io.BytesIO):
                data.seek(0)
            with np.load(data, allow_pickle=False) as arrays:
                if arrays["version"].tolist() != [RANKING_VERSION]:
                    raise ValueError("another version of the ranking index")
                rows, columns = (int(n) for n in arrays["shape"])
                unit = sp.csr_matrix(
                    (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(rows, columns)
                )
                unit.check_format(full_check=True)
                norms = arrays["norms"]
                ids_bytes, lengths = arrays["ids"].tobytes(), arrays["id_lengths"]
                if lengths.ndim != 1 or lengths.sum() != len(ids_bytes) or (lengths < 0).any():
                    raise ValueError("a ranking index whose ids do not agree")
                ends, spans = np.cumsum(lengths).tolist(), lengths.tolist()
                text = ids_bytes.decode()
                if len(text) == len(ids_bytes):  # ASCII, as arXiv ids are: a character a byte
                    ids = [text[end - n : end] for end, n in zip(ends, spans, strict=True)]
                else:
                    ids = [
                        ids_bytes[end - n : end].decode()
                        for end, n in zip(ends, spans, strict=True)
                    ]
                words = (arrays["word_keys"], arrays["word_columns"])
        except (*_UNREADABLE, UnicodeDecodeError, TypeError) as error:
            raise ValueError(f"not a ranking index: {error}") from error
        if len(ids) != rows or norms.shape != (rows,) or unit.dtype != np.float32:
            raise ValueError("a ranking index whose parts do not agree")
        keys, word_columns = words
        agree = keys.dtype == np.uint64 and keys.shape == word_columns.shape == (columns,)
        if not agree or (columns and not 0 <= word_columns.min() <= word_columns.max() < columns):
            raise ValueError("a ranking index whose words do not agree")
        return cls(ids, unit, norms, words)


def word_key(word: str) -> int:
    """A word's key in the index: 64 bits of its BLAKE2b hash (the same on every machine)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _word_index(names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words of the columns `names` gives, in order, as (keys sorted, their columns)."""
    keys = np.fromiter((word_key(name) for name in names), dtype=np.uint64, count=len(names))
    order = np.argsort(keys, kind="stable")
    return keys[order], order.astype(np.int32)


def ranking_of(index: SearchIndex) -> Ranking:
    """The ranking index of what `index` holds: from the cache, else built here (and kept).
    (The reader builds it in a process of its own instead: digest_tui.ranker.)"""
    signature = cache.ranking_signature(index.digests, RANKING_VERSION)
    if signature:
        try:
            return Ranking.read(cache.ranking_path(signature))
        except ValueError:
            pass  # not made yet, or damaged: built
    ranking = Ranking.build(index.documents())
    if signature:
        cache.store_ranking(signature, ranking.to_bytes())
    return ranking


# -- built in a process of its own -------------------------------------------------------------


def read_documents(source: BinaryIO) -> Iterator[tuple[str, str]]:
    """(paper id, searchable text) of each paper of the digests' texts (index.DigestText's
    ids, starts and text) that `_build_apart` wrote."""
    while True:
        try:
            sent = marshal.load(source)
        except EOFError:
            raise Incomplete("the documents ended before their end: nothing is kept") from None
        if sent == END:
            return
        yield from DigestText(*sent).documents()


class Incomplete(Exception):
    """The documents sent stopped short (the reader was stopped, or cancelled the build)."""


def _end_with(parent: int) -> None:
    """The reader that started this process is gone (killed): so is this process, whose index
    no one awaits."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def main(argv: Sequence[str] = ()) -> int:
    """Build an index from the documents on stdin; keep it in the cache under the signature
    given (so the reader never holds it whole while it goes there), else (no signature, or a
    cache that cannot keep it) write it to stdout. (The reader's keys go first: this process
    has the lowest priority.)"""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)
    parent = int(argv[1]) if len(argv) > 1 else os.getppid()
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    try:
        data = Ranking.build(read_documents(sys.stdin.buffer)).to_bytes()
    except Incomplete as error:
        print(f"digest-tui ranking: {error}", file=sys.stderr)
        return 1
    if argv and argv[0]:
        cache.store_ranking(argv[0], data)
        if cache.ranking_path(argv[0]).is_file():
            return 0
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
