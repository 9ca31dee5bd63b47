"""`$…$` math as readable Unicode; what cannot be converted stays as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_tui.latex import render_math


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("$\\alpha$-ReLU", "α-ReLU"),
        ("in $O(n^2)$ time", "in O(n²) time"),
        ("$\\mathcal{O}(n \\log n)$ sorting", "𝒪(n log n) sorting"),
        ("$\\text{SO}(3)$-equivariant", "SO(3)-equivariant"),
        ("$\\ell_1$ norm, $x_{t+1}$", "ℓ₁ norm, xₜ₊₁"),
        ("$$E=mc^2$$", "E=mc²"),
        ("$k$-NN on $\\mathbb{R}^d$", "k-NN on ℝᵈ"),
    ],
)
def test_formulas_become_unicode(written: str, shown: str):
    assert render_math(written) == shown


@pytest.mark.parametrize(
    "written",
    [
        "costs $5 and $10",  # money, not math
        "$\\frac{1}{2}$ of it",  # no Unicode form
        "$x_{b}$",  # no subscript b in Unicode
        "$\\unknowncommand{x}$",
        "an unclosed $\\alpha",
        "no math at all",
    ],
)
def test_what_cannot_be_converted_stays_as_written(written: str):
    assert render_math(written) == written


@given(st.text(alphabet="$\\^_{}abα12 \n", max_size=30))
def test_never_raises_and_leaves_text_without_dollars_alone(text: str):
    shown = render_math(text)
    if "$" not in text:
        assert shown == text
