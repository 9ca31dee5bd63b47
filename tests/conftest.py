from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# `pytest --hypothesis-profile=thorough` for a long hunt; the default keeps the suite quick.
# Generation speed is not what these tests check: a slow, loaded CI machine must not fail them.
_RELAXED = [HealthCheck.too_slow, HealthCheck.filter_too_much]
settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=_RELAXED
)
settings.register_profile(
    "thorough", max_examples=3000, deadline=None, suppress_health_check=_RELAXED
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("DIGEST_TUI_SHARED", ROOT.parent / "shared"))
SEED_A = SEEDS / "000_4251ef543c11715f.md"
SEED_B = SEEDS / "003_23f2ff24328697dc.md"


async def workers_done(app) -> None:
    """Until every worker the app has started is done. One cancelled for a newer one is done
    too: an exclusive worker (the ranking, when the library is read again) can be, and
    Textual's `wait_for_complete` raises WorkerCancelled for it."""
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


async def until(pilot, done, seconds: float = 5.0) -> None:
    """Until `done()`, or `seconds` have passed (the caller asserts): what a worker, a message
    or the screen's next refresh brings may come later than one pause on a loaded machine."""
    for _ in range(int(seconds / 0.02)):
        if done():
            return
        await pilot.pause(0.02)


def shared_or_skip(*parts: str) -> Path:
    """A path in ../shared (the real corpus), or skip: the corpus is not part of the project."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real corpus not available: {path} is absent (it lives in ../shared)")
    return path


def unpacked_archive(factory: pytest.TempPathFactory) -> Path:
    """The real half-year archive of ../shared unpacked in a folder of the session's (or skip)."""
    import tarfile

    source = shared_or_skip("corpus", "archive-2025-12_2026-05.tar.xz")
    folder = factory.mktemp("archive")
    with tarfile.open(source) as tar:
        tar.extractall(folder, filter="data")
    return folder


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches a real user's state, config or cache."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # exports go to ~/Documents
    monkeypatch.delenv("DIGEST_TUI_CACHE", raising=False)  # the cache follows XDG_CACHE_HOME
    monkeypatch.delenv("DIGEST_TUI_CONFIG", raising=False)  # the settings follow XDG_CONFIG_HOME
    # Colours as a person without NO_COLOR sees them (the test of NO_COLOR sets it itself):
    # the snapshots must not depend on the shell the suite runs in.
    for name in ("NO_COLOR", "FORCE_COLOR", "TEXTUAL_COLOR_SYSTEM", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    state = tmp_path / "state" / "marks.sqlite3"
    monkeypatch.setenv("DIGEST_TUI_STATE", str(state))
    return state


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paper_md(
    index: int,
    arxiv: str,
    title: str = "A title",
    *,
    section: str = "cs.CV",
    authors: str = "Ada Lovelace,Alan Turing",
    fields: dict[str, str] | None = None,
) -> str:
    """One paper as the upstream template writes it."""
    text = {
        "TL;DR": f"tldr {arxiv}",
        "Motivation": f"motivation {arxiv}",
        "Method": f"method {arxiv}",
        "Result": f"result {arxiv}",
        "Conclusion": f"conclusion {arxiv}",
        "Abstract": f"abstract {arxiv}",
        **(fields or {}),
    }
    details = "\n\n".join(f"{label}: {text[label]}" for label in list(text)[1:])
    return (
        f"### [{index}] [{title}](https://arxiv.org/abs/{arxiv})\n*{authors}*\n\n"
        f"Main category: {section}\n\nTL;DR: {text['TL;DR']}\n\n\n"
        f"<details>\n  <summary>Details</summary>\n{details}\n\n</details>\n\n"
    )


def digest_md(sections: dict[str, list[str]], totals: dict[str, int] | None = None) -> str:
    """A whole digest: TOC, then each section with its papers."""
    toc = "\n".join(
        f"- [{name}](#{name}) [Total: {(totals or {}).get(name, len(papers))}]"
        for name, papers in sections.items()
    )
    body = "".join(
        f"\n<div id='{name}'></div>\n\n# {name} [[Back]](#toc)\n\n" + "".join(papers)
        for name, papers in sections.items()
    )
    return f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n\n{body}"
