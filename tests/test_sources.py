"""Subscriptions, against a local stand-in for GitHub (tests/github_server.py) serving real
days from ../shared/corpus the way GitHub does: subscribe, update, sources, unsubscribe, and
every way a download can go wrong."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from digest_tui import github
from digest_tui.cli import main
from digest_tui.config import config_path, load_settings
from digest_tui.github import blob_sha
from digest_tui.sources import Source
from digest_tui.ui.loading import LibraryReader
from tests.conftest import digest_md, paper_md, shared_or_skip, write
from tests.github_server import FakeGitHub

UPSTREAM = "dw-dengwei/daily-arXiv-ai-enhanced"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    with FakeGitHub() as server:
        monkeypatch.setenv(github.API_ENV, f"{server.base}/api")
        monkeypatch.setenv(github.RAW_ENV, f"{server.base}/raw")
        monkeypatch.delenv(github.TOKEN_ENV, raising=False)
        monkeypatch.setattr(github, "STALL_SECONDS", 0.5)
        yield server


def real_days(branch, days: int = 6) -> list[str]:
    """The shared corpus's real days in a branch as the pipeline writes them: the Markdown,
    the AI-enhanced JSONL it was rendered from, and the raw crawl (made up here: no summary)."""
    folder = shared_or_skip("corpus", "days")
    names = sorted(p.name[:10] for p in folder.glob("*.md"))[:days]
    for day in names:
        branch.files[f"data/{day}.md"] = (folder / f"{day}.md").read_bytes()
        ai = folder / f"{day}_AI_enhanced_Chinese.jsonl"
        branch.files[f"data/{ai.name}"] = ai.read_bytes()
        branch.files[f"data/{day}.jsonl"] = b'{"id": "raw crawl"}\n'
    branch.files["assets/file-list.txt"] = "\n".join(names).encode()
    branch.files["README.md"] = b"# data branch"
    return names


def small_day(day: str, title: str) -> bytes:
    return digest_md({"cs.CV": [paper_md(1, f"2603.{day[-2:]}001", title)]}).encode()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_subscribe_update_and_update_again_fetches_each_day_once(fake, capsys):
    days = real_days(fake.branch(UPSTREAM))
    code, out, _ = run(capsys, "subscribe", UPSTREAM)
    assert code == 0 and f"Subscribed to {UPSTREAM} (data:data/)" in out
    code, out, err = run(capsys, "update")
    assert code == 0, err
    assert out.strip() == f"{UPSTREAM}: {len(days)} new days, 0 unchanged"
    folder = Source(UPSTREAM).path
    kept = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert kept == [f"{day}_AI_enhanced_Chinese.jsonl" for day in days]  # what the reader reads
    assert len(fake.raw_requests()) == len(days)  # one file a day: never the crawl, never .md
    fake.requests.clear()
    code, out, _ = run(capsys, "update", UPSTREAM)
    assert code == 0 and out.strip() == f"{UPSTREAM}: 0 new days, {len(days)} unchanged"
    assert fake.raw_requests() == [] and len(fake.requests) == 1  # the listing only
    # The pipeline rewrites a day and removes another: the first is fetched again, the
    # second stays here (marks point at it).
    branch = fake.branch(UPSTREAM)
    rewritten = f"data/{days[0]}_AI_enhanced_Chinese.jsonl"
    branch.files[rewritten] = branch.files[rewritten].replace(b"}\n", b"}\n", 1) + b"\n"
    for path in [p for p in branch.files if p.startswith(f"data/{days[1]}")]:
        del branch.files[path]
    code, out, _ = run(capsys, "update")
    assert out.strip() == f"{UPSTREAM}: 0 new days, 1 rewritten, {len(days) - 2} unchanged"
    assert (folder / Path(rewritten).name).read_bytes() == branch.files[rewritten]
    assert (folder / f"{days[1]}_AI_enhanced_Chinese.jsonl").is_file()
    code, out, _ = run(capsys, "check")  # no PATH: the library the reader opens
    assert code in (0, 1) and f"{len(days)} days" in out.splitlines()[-1]


def test_an_update_reads_no_day_file_it_checked_before_unless_it_changed(fake, capsys, monkeypatch):
    """A year of days is ~300 MB: an update at every start hashed them all. A file with the
    size and time it had when last checked is taken as checked; one changed here since (same
    size, new time) is hashed, found different and fetched again."""
    days = real_days(fake.branch(UPSTREAM))
    run(capsys, "subscribe", UPSTREAM)
    assert run(capsys, "update")[0] == 0
    hashed = []
    blob_sha = github.blob_sha
    monkeypatch.setattr(github, "blob_sha", lambda data: hashed.append(data) or blob_sha(data))
    code, out, _ = run(capsys, "update")
    assert out.strip() == f"{UPSTREAM}: 0 new days, {len(days)} unchanged"
    assert hashed == []
    local = Source(UPSTREAM).path / f"{days[0]}_AI_enhanced_Chinese.jsonl"
    data = local.read_bytes()
    local.write_bytes(data[:-2] + b"X\n")  # the same size
    code, out, _ = run(capsys, "update")
    assert (
        code == 0
        and out.strip() == f"{UPSTREAM}: 0 new days, 1 rewritten, {len(days) - 1} unchanged"
    )
    assert local.read_bytes() == data and len(hashed) == 2  # the changed file, the fetched one


def test_a_day_changed_here_while_an_update_runs_is_fetched_again_next_time(
    fake, capsys, monkeypatch
):
    """What an update writes down of a file is what it checked (its stat before it read it),
    so a change made while the update goes on (same size) is seen by the next one."""
    days = real_days(fake.branch(UPSTREAM))
    run(capsys, "subscribe", UPSTREAM)
    run(capsys, "update")
    branch, folder = fake.branch(UPSTREAM), Source(UPSTREAM).path
    later = f"data/{days[1]}_AI_enhanced_Chinese.jsonl"
    branch.files[later] += b"\n"  # the pipeline rewrote a day: the update fetches it
    local = folder / f"{days[0]}_AI_enhanced_Chinese.jsonl"  # checked first: unchanged
    data = local.read_bytes()
    fetch = github._fetch

    def meanwhile(*args, **kwargs):
        local.write_bytes(data[:-2] + b"X\n")  # changed here, the same size
        return fetch(*args, **kwargs)

    monkeypatch.setattr(github, "_fetch", meanwhile)
    code, out, _ = run(capsys, "update")
    assert (
        code == 0
        and out.strip() == f"{UPSTREAM}: 0 new days, 1 rewritten, {len(days) - 1} unchanged"
    )
    monkeypatch.setattr(github, "_fetch", fetch)
    code, out, _ = run(capsys, "update")
    assert (
        code == 0
        and out.strip() == f"{UPSTREAM}: 0 new days, 1 rewritten, {len(days) - 1} unchanged"
    )
    assert local.read_bytes() == data


def test_a_language_is_taken_when_a_day_has_it_else_the_markdown(fake, capsys):
    branch = fake.branch("someone/fork")
    branch.files["data/2026-03-01.md"] = small_day("2026-03-01", "Markdown day")
    branch.files["data/2026-03-02.md"] = small_day("2026-03-02", "Markdown day")
    branch.files["data/2026-03-02_AI_enhanced_English.jsonl"] = b"{}\n"
    branch.files["data/2026-03-02_AI_enhanced_Korean.jsonl"] = b"{ }\n"
    assert run(capsys, "subscribe", "someone/fork", "--language", "korean")[0] == 0
    assert run(capsys, "update")[0] == 0
    kept = sorted(p.name for p in Source("someone/fork").path.glob("2026-*"))
    assert kept == ["2026-03-01.md", "2026-03-02_AI_enhanced_Korean.jsonl"]


def test_a_broken_tampered_stalled_oversized_or_hostile_day_is_reported_and_never_kept(
    fake, capsys, monkeypatch
):
    branch = fake.branch(UPSTREAM)
    for day in ("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"):
        branch.files[f"data/{day}.md"] = small_day(day, f"Good {day}")
    run(capsys, "subscribe", UPSTREAM)
    assert run(capsys, "update")[0] == 0
    folder = Source(UPSTREAM).path
    good = (folder / "2026-03-02.md").read_bytes()
    branch.files["data/2026-03-02.md"] = small_day("2026-03-02", "Rewritten")
    branch.tampered["data/2026-03-02.md"] = small_day("2026-03-02", "Evil")  # not the sha
    branch.files["data/2026-03-06.md"] = small_day("2026-03-06", "Answers 500")
    branch.broken.add("data/2026-03-06.md")
    branch.files["data/2026-03-07.md"] = small_day("2026-03-07", "Stalls")
    branch.stalled.add("data/2026-03-07.md")
    branch.files["data/2026-03-08.md"] = small_day("2026-03-08", "Too big") * 50
    branch.files["data/2026-03-09.md"] = small_day("2026-03-09", "New and fine")
    branch.hostile += ["data/../../escaped.md", "/etc/2026-03-10.md", "../data/2026-03-11.md"]
    monkeypatch.setattr(github, "SIZE_LIMIT", len(branch.files["data/2026-03-08.md"]) - 1)
    fake.stall_seconds = 2.0
    code, out, err = run(capsys, "update")
    assert code == 1
    assert out.strip() == f"{UPSTREAM}: 1 new day, 4 unchanged, 7 failed"
    assert "data/2026-03-02.md: refused: its content is not what the branch lists" in err
    assert "data/2026-03-06.md: 127.0.0.1" in err and "answered 500" in err
    assert "data/2026-03-07.md: stalled: no byte for 0.5 s; abandoned" in err
    assert "data/2026-03-08.md: refused:" in err and "over the limit" in err
    for hostile in ("data/../../escaped.md", "/etc/2026-03-10.md", "../data/2026-03-11.md"):
        assert f"{hostile}: refused, a path outside the branch's folder" in err
    assert (folder / "2026-03-02.md").read_bytes() == good  # the good day kept
    assert (folder / "2026-03-09.md").is_file()
    for name in ("2026-03-06.md", "2026-03-07.md", "2026-03-08.md", "escaped.md"):
        assert not (folder / name).exists()
    assert not list(folder.glob(".*.part"))
    assert not (folder.parent.parent / "escaped.md").exists()


def test_a_stalled_download_is_abandoned_and_named(fake, capsys):
    branch = fake.branch(UPSTREAM)
    branch.files["data/2026-03-01.md"] = small_day("2026-03-01", "Stalls")
    branch.stalled.add("data/2026-03-01.md")
    run(capsys, "subscribe", UPSTREAM)
    code, _, err = run(capsys, "update")
    assert code == 1 and "data/2026-03-01.md: stalled: no byte for 0.5 s; abandoned" in err


def test_offline_a_rate_limit_and_a_missing_branch_are_one_clear_line_each(
    fake, capsys, monkeypatch
):
    run(capsys, "subscribe", UPSTREAM)
    run(capsys, "subscribe", "someone/else", "--branch", "gh-pages")
    fake.branch(UPSTREAM).files["data/2026-03-01.md"] = small_day("2026-03-01", "A day")
    fake.rate_limited = True
    code, out, _ = run(capsys, "update", UPSTREAM)
    assert code == 1
    assert f"{UPSTREAM}: GitHub's API limit is reached: try again at " in out
    assert "set GITHUB_TOKEN for a higher limit; the days here are kept" in out
    fake.rate_limited = False
    code, out, _ = run(capsys, "update", "someone/else")
    assert out.strip() == (
        "someone/else: no branch 'gh-pages' in someone/else (or no such repository);"
        " the days here are kept"
    )
    monkeypatch.setenv(github.API_ENV, "http://127.0.0.1:9")  # nothing listens: offline
    code, out, _ = run(capsys, "update", UPSTREAM)
    assert code == 1 and out.startswith(f"{UPSTREAM}: cannot reach 127.0.0.1:9 (")


def test_the_token_goes_to_the_api_only_with_a_user_agent(fake, capsys, monkeypatch):
    fake.branch(UPSTREAM).files["data/2026-03-01.md"] = small_day("2026-03-01", "A day")
    monkeypatch.setenv(github.TOKEN_ENV, "secret-token")
    run(capsys, "subscribe", UPSTREAM)
    assert run(capsys, "update")[0] == 0
    sent = {path: headers for path, headers in zip(fake.requests, fake.headers, strict=True)}
    api = next(h for p, h in sent.items() if p.startswith("/api/"))
    raw = next(h for p, h in sent.items() if p.startswith("/raw/"))
    assert api["Authorization"] == "Bearer secret-token" and "Authorization" not in raw
    assert api["User-Agent"].startswith("digest-tui/")


def test_subscribe_keeps_the_settings_comments_and_unsubscribe_takes_it_out(fake, capsys):
    settings = write(config_path(), '# my settings\ntheme = "nord"  # the colours\n')
    assert (
        run(capsys, "subscribe", f"https://github.com/{UPSTREAM}", "--language", "Chinese")[0] == 0
    )
    text = settings.read_text()
    assert text.startswith('# my settings\ntheme = "nord"  # the colours\n')
    assert load_settings()[0].sources == (Source(UPSTREAM, language="Chinese"),)
    code, out, _ = run(capsys, "subscribe", UPSTREAM)
    assert code == 0 and out.startswith(f"Already subscribed to {UPSTREAM}")
    code, out, _ = run(capsys, "sources")
    assert out.splitlines()[0] == f"{UPSTREAM}  data:data/  no days yet"
    assert "last update: never, Chinese; in " in out
    fake.branch(UPSTREAM).files["data/2026-03-01.md"] = small_day("2026-03-01", "A day")
    run(capsys, "update")
    code, out, _ = run(capsys, "sources")
    assert "1 days (2026-03-01 to 2026-03-01)" in out and "last update: never" not in out
    code, out, _ = run(capsys, "unsubscribe", UPSTREAM.upper())  # GitHub's names: any case
    assert code == 0 and out.startswith(f"Unsubscribed from {UPSTREAM}; its days stay in ")
    assert load_settings()[0].sources == ()
    assert settings.read_text().startswith('# my settings\ntheme = "nord"  # the colours\n')


def test_usage_mistakes_exit_2_with_one_line(fake, capsys):
    for argv, message in [
        (("subscribe", "not a repo"), "'not a repo': not a GitHub repository as OWNER/REPO"),
        (("subscribe", "owner/.."), "'owner/..': not a GitHub repository as OWNER/REPO"),
        (("unsubscribe", "a/b"), "a/b: not a source (see digest-tui sources)"),
        (("update", "a/b"), "a/b: not a source (see digest-tui sources)"),
    ]:
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.strip() == f"digest-tui: {message}"


def test_the_blob_sha_is_gits():
    assert blob_sha(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"  # git hash-object


async def test_the_reader_updates_its_sources_as_it_starts_and_the_new_day_appears(
    fake, isolated_user_dirs, monkeypatch
):
    """The update ends while the library read is still being indexed: the folder is looked at
    again then, not at the reader's next look every few seconds (here: never)."""
    from digest_tui.config import Settings
    from digest_tui.state import MarkStore
    from digest_tui.ui.app import make_app
    from tests.screen import squash, toast_text
    from tests.test_app import SIZE, started
    from tests.test_app_power import settle

    source = Source(UPSTREAM)
    source.path.mkdir(parents=True)
    (source.path / "2026-03-01.md").write_bytes(small_day("2026-03-01", "Already here"))
    fake.branch(UPSTREAM).files["data/2026-03-01.md"] = small_day("2026-03-01", "Already here")
    fake.branch(UPSTREAM).files["data/2026-03-02.md"] = small_day("2026-03-02", "Arrived today")
    settings = Settings(sources=(source,))
    monkeypatch.setattr("digest_tui.ui.app.WATCH_SECONDS", 3600.0)
    read, update = LibraryReader._read, LibraryReader._update
    done, updated = threading.Event(), threading.Event()

    def slow_read(self, *args) -> None:  # as on a loaded machine: the update ends meanwhile
        read(self, *args)
        done.set()
        updated.wait(5)
        time.sleep(0.3)

    def later_update(self, *args) -> None:  # (its day not in the files read first)
        done.wait(5)
        update(self, *args)
        updated.set()

    monkeypatch.setattr(LibraryReader, "_read", slow_read)
    monkeypatch.setattr(LibraryReader, "_update", later_update)
    app = make_app([source.path], MarkStore(isolated_user_dirs), settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        for _ in range(100):  # the update, then the folder read again
            await settle(app, pilot)
            if len(app.full_library.papers) == 2:
                break
        assert [p.title for p in app.full_library.papers] == ["Arrived today", "Already here"]
        toasts = toast_text(app)
        assert squash(f"{UPSTREAM}: 1 new day, 1 unchanged") in toasts
        assert squash("New day: 2026-03-02 (1 paper)") in toasts
        fake.requests.clear()
        await pilot.press("U")  # update now: nothing new
        await settle(app, pilot)
        assert len(fake.requests) == 1 and fake.raw_requests() == []


async def test_the_days_pane_names_the_source_of_each_day_when_there_are_several(
    isolated_user_dirs,
):
    from digest_tui.config import Settings
    from digest_tui.state import MarkStore
    from digest_tui.ui.app import make_app
    from tests.test_app import SIZE, category_line, started

    upstream, fork = Source(UPSTREAM), Source("someone/daily-arXiv-ai-enhanced")
    for source, day in ((upstream, "2026-03-01"), (fork, "2026-03-02")):
        source.path.mkdir(parents=True)
        (source.path / f"{day}.md").write_bytes(small_day(day, f"From {source.name}"))
    settings = Settings(sources=(upstream, fork), update_on_start=False)
    app = make_app([upstream.path, fork.path], MarkStore(isolated_user_dirs), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert category_line(app, "2026-03-02 someone").split() == [
            "│",
            "2026-03-02",
            "someone",
            "1/1",
        ]
        assert category_line(app, "2026-03-01 dw-dengwei").split()[1:3] == [
            "2026-03-01",
            "dw-dengwei",
        ]


def test_a_raw_crawl_fetched_first_is_replaced_by_the_summaries_when_they_come(fake, capsys):
    branch = fake.branch(UPSTREAM)
    branch.files["data/2026-03-01.jsonl"] = b'{"id": "raw crawl"}\n'
    run(capsys, "subscribe", UPSTREAM)
    assert run(capsys, "update")[0] == 0
    folder = Source(UPSTREAM).path
    assert [p.name for p in folder.glob("2026-*")] == ["2026-03-01.jsonl"]  # all the day had
    branch.files["data/2026-03-01_AI_enhanced_Chinese.jsonl"] = b'{"id": "summarised"}\n'
    code, out, _ = run(capsys, "update")
    assert code == 0 and out.strip() == f"{UPSTREAM}: 0 new days, 1 rewritten, 0 unchanged"
    assert [p.name for p in folder.glob("2026-*")] == ["2026-03-01_AI_enhanced_Chinese.jsonl"]


def test_odd_answers_are_said_not_tracebacks(fake, capsys, monkeypatch):
    import httpx

    branch = fake.branch(UPSTREAM)
    branch.files["data/2026-03-01.md"] = small_day("2026-03-01", "A day")
    run(capsys, "subscribe", UPSTREAM)
    for header in ({"retry-after": "nan"}, {"retry-after": "1e400"}, {"x-ratelimit-reset": "1e20"}):
        answer = httpx.Response(403, headers={"x-ratelimit-remaining": "0", **header})
        assert github._retry_time(answer.headers) == "later"
    tree = [
        {"path": "data/2026-03-02.md", "mode": "120000", "type": "blob", "sha": "a" * 40},
        {"path": "data/2026-03-03.md", "type": "blob"},  # no sha
        {"path": 7, "type": "blob", "sha": "b" * 40},
    ]
    chosen, refused = github.choose(tree, Source(UPSTREAM))
    assert chosen == {} and refused == []  # a symbolic link, nothing to check, not a path
    run(capsys, "subscribe", "someone/else")
    fake.branch("someone/else").files["data/2026-03-01.md"] = small_day("2026-03-01", "A day")
    Source("someone/else").path.rmdir()
    write(Source("someone/else").path, "a file where the folder was")
    code, out, _ = run(capsys, "update", "someone/else")
    assert code == 1 and out.startswith("someone/else: cannot make ")
    code, _, err = run(capsys, "subscribe", "someone/other", "--branch", "x")
    assert code == 0  # (its folder can be made)
    write(Source("third/one").path, "a file")
    code, _, err = run(capsys, "subscribe", "third/one")
    assert code == 2 and "cannot make " in err


def test_subscribe_and_unsubscribe_never_damage_the_settings(fake, capsys):
    settings = write(config_path(), "sources = []  # written by hand\n")
    code, _, err = run(capsys, "subscribe", UPSTREAM)
    assert code == 2 and "sources is not written as [[sources]] tables; edit it by hand" in err
    assert settings.read_text() == "sources = []  # written by hand\n"
    text = (
        '# mine\n[[sources]]\n# the upstream\nrepo = "a/one"\n\n'
        '[[sources]]\n# my fork\nrepo = "b/two"\n\n[[sources]]\n# a third\nrepo = "c/three"\n'
    )
    settings.write_text(text)
    assert run(capsys, "unsubscribe", "b/two")[0] == 0
    after = settings.read_text()
    assert "# my fork" not in after and "# the upstream" in after and "# a third" in after
    assert [s.repo for s in load_settings()[0].sources] == ["a/one", "c/three"]
    code, out, _ = run(capsys, "subscribe", "A/ONE")
    assert code == 0 and out.startswith("Already subscribed to a/one")
    code, _, err = run(capsys, "subscribe", "x/y", "--folder", "../elsewhere")
    assert code == 2 and "--folder '../elsewhere': a folder of the branch, like data" in err


async def test_a_date_two_sources_publish_shows_both_sources_papers(isolated_user_dirs):
    # An upstream and its fork share dates: each one's summaries of the day are read (not the
    # first file by name only), a paper both list is shown once, and that is no problem.
    from digest_tui.library import load_library, plan
    from digest_tui.sources import day_names
    from digest_tui.state import MarkStore
    from digest_tui.ui.app import make_app
    from tests.screen import screen_lines
    from tests.test_app import SIZE, started
    from tests.test_library import _jsonl_line

    upstream, fork = Source(UPSTREAM), Source("someone/daily-arXiv-ai-enhanced")
    day = "2026-03-01"
    for source, ids in (
        (upstream, ("2603.00001", "2603.00002")),
        (fork, ("2603.00002", "2603.00003")),
    ):
        lines = [_jsonl_line(i, f"{i} by {source.repo.partition('/')[0]}") for i in ids]
        write(source.path / f"{day}_AI_enhanced_Chinese.jsonl", "\n".join(lines) + "\n")
        write(source.path / f"{day}.jsonl", '{"id": "raw crawl"}\n')  # never read
    write(upstream.path / f"{day}.md", small_day(day, "the Markdown, never read").decode())
    (planned,) = plan([*sorted(upstream.path.iterdir()), *sorted(fork.path.iterdir())])
    assert [p.name for p in planned.files] == [f"{day}_AI_enhanced_Chinese.jsonl"] * 2
    library = load_library([upstream.path, fork.path])
    assert [p.title for p in library.days[day]] == [
        "2603.00001 by dw-dengwei",
        "2603.00002 by dw-dengwei",
        "2603.00003 by someone",
    ]
    assert library.problems == ()
    app = make_app([upstream.path, fork.path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        (line,) = [line for line in screen_lines(app) if line.startswith(f"│ {day}")]
        # (the Days pane is 28 columns wide at 120: the second owner is cut)
        assert line.split("││")[0].split() == ["│", day, "dw-dengwei…", "3/3"]
    assert day_names(library) == [(day, f"{day} dw-dengwei+someone")]
