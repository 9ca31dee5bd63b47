"""Every variant of the digest format that real pipelines write, each as a small fixture."""

from __future__ import annotations

from pathlib import Path

from digest_tui.library import load_library
from digest_tui.model import FIELDS
from digest_tui.parse import parse_markdown, read_digest, read_jsonl
from digest_tui.render import render_field
from tests.conftest import digest_md, paper_md, write


def one(text: str, tmp_path: Path):
    digest = parse_markdown(text, tmp_path / "day.md")
    assert len(digest.papers) == 1, digest
    return digest.papers[0], digest.problems


def test_march_2025_abstract_only(tmp_path: Path):
    text = (
        "### [A Title (with parens)](https://arxiv.org/abs/2503.11731)\n"
        "*Ada Lovelace,Alan Turing*\n"
        "<details>\n  <summary>Abstract</summary>\n"
        "Sensor simulation is pivotal for scalable validation of autonomous driving\n"
        "systems, yet existing methods face challenges.\n"
        "</details>\n"
    )
    paper, problems = one(text, tmp_path)
    assert problems == ()
    assert paper.title == "A Title (with parens)"
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.abstract == (
        "Sensor simulation is pivotal for scalable validation of autonomous driving\n"
        "systems, yet existing methods face challenges."
    )
    assert paper.tldr == "" and paper.is_unavailable("tldr")


def test_late_march_2025_task_and_motivation_before_details(tmp_path: Path):
    text = (
        "### [T](https://arxiv.org/abs/2503.15617)\n*A,B*\n\nTask: 提出一种框架。\n\n"
        "Motivation: 分析表明。\n\n<details>\n  <summary>Details</summary>\n"
        "Method: 方法。\n\nResult: 结果。\n\nConclusion: 结论。\n\nAbstract: Traditional\n"
        "transformer-based segmentation.\n\n</details>\n"
    )
    paper, problems = one(text, tmp_path)
    assert problems == ()
    assert paper.extras == (("Task", "提出一种框架。"),)
    assert (paper.motivation, paper.method, paper.result, paper.conclusion) == (
        "分析表明。",
        "方法。",
        "结果。",
        "结论。",
    )
    assert paper.abstract == "Traditional\ntransformer-based segmentation."


def test_mid_april_2025_tldr_label(tmp_path: Path):
    text = digest_md({"cs.CV": [paper_md(1, "2504.00001").replace("TL;DR:", "TLDR:")]})
    paper, _ = one(text, tmp_path)
    assert paper.tldr == "tldr 2504.00001"


def test_sections_without_a_dot(tmp_path: Path):
    names = ["quant-ph", "eess.IV", "math.OC", "physics.optics"]
    text = digest_md(
        {name: [paper_md(n, f"2401.0000{n}", section=name)] for n, name in enumerate(names)}
    )
    digest = parse_markdown(text, tmp_path / "d.md")
    assert [p.section for p in digest.papers] == names
    assert [p.category for p in digest.papers] == names
    assert digest.problems == ()


def test_bold_labels(tmp_path: Path):
    text = (
        "### [1] [T](https://arxiv.org/abs/2401.00001)\n*A*\n\n**Main category:** cs.LG\n\n"
        "**TL;DR**: short\n\n<details>\n<summary>Details</summary>\n\n**Motivation**: why\n\n"
        "**Method:** how\n\n**Result**: what\n\n**Conclusion**: so\n\n"
        "**Abstract**: all\n</details>\n"
    )
    paper, problems = one(text, tmp_path)
    assert problems == ()
    assert [getattr(paper, name) for name, _ in FIELDS] == [
        "short",
        "why",
        "how",
        "what",
        "so",
        "all",
    ]
    assert paper.category == "cs.LG"


def test_labels_in_chinese_korean_and_japanese(tmp_path: Path):
    for labels in (
        ("一句话总结", "动机", "方法", "结果", "结论", "摘要"),
        ("요약", "동기", "방법", "결과", "결론", "초록"),
        ("要約", "研究の動機", "手法", "実験結果", "まとめ", "概要"),
    ):
        body = "\n\n".join(f"{label}: v{n}" for n, label in enumerate(labels))
        paper, problems = one(
            f"### [1] [T](https://arxiv.org/abs/2401.00001)\n*A*\n\n{body}\n", tmp_path
        )
        assert problems == ()
        assert [getattr(paper, name) for name, _ in FIELDS] == [f"v{n}" for n in range(6)], labels


def test_link_forms_give_one_id_and_a_pdf(tmp_path: Path):
    for url in (
        "https://arxiv.org/abs/2401.00001v2",
        "http://arxiv.org/abs/2401.00001",
        "http://arxiv.org/pdf/2401.00001v1",
        "https://arxiv.org/pdf/2401.00001.pdf",
    ):
        paper, _ = one("### [1] [T](https://x)\n".replace("https://x", url), tmp_path)
        assert (paper.id, paper.url, paper.pdf) == (
            "2401.00001",
            url,
            "https://arxiv.org/pdf/2401.00001",
        )
    old_style, _ = one("### [1] [T](https://arxiv.org/abs/hep-th/9901001v3)\n", tmp_path)
    assert old_style.id == "hep-th/9901001"


def test_non_arxiv_link_is_its_own_id(tmp_path: Path):
    paper, _ = one("### [1] [Talk](https://neurips.cc/virtual/2024/oral/97989)\n", tmp_path)
    assert paper.id == paper.url == "https://neurips.cc/virtual/2024/oral/97989"
    assert paper.pdf == ""


def test_titles_with_brackets_pipes_latex_and_parentheses(tmp_path: Path):
    title = "[Re] $\\mathcal{O}(n^2)$ | A [draft] (v2) ] odd"
    paper, _ = one(f"### [3] [{title}](https://arxiv.org/abs/2401.00001)\n", tmp_path)
    assert paper.title == title


def test_hard_wrapped_abstract_and_lists_with_blank_lines(tmp_path: Path):
    method = "Three steps:\n\n1. first\n2. second\n\n   indented detail\n\n3. third"
    abstract = "\n".join(f"line {n} of a hard-wrapped abstract" for n in range(12))
    text = digest_md(
        {"cs.LG": [paper_md(1, "2401.00001", fields={"Method": method, "Abstract": abstract})]}
    )
    paper, problems = one(text, tmp_path)
    assert problems == ()
    assert paper.method == method
    assert paper.abstract == abstract


def test_leaked_reasoning_is_stripped_only_at_the_start_of_ai_fields(tmp_path: Path):
    fields = {
        "TL;DR": "<think>let me see…\nmore thought</think>\nThe real summary <answer> kept",
        "Abstract": "<think> tokens and <answer> tags are studied here.",
    }
    paper, _ = one(digest_md({"cs.CL": [paper_md(1, "2401.00001", fields=fields)]}), tmp_path)
    assert paper.tldr == "The real summary <answer> kept"
    assert paper.abstract == "<think> tokens and <answer> tags are studied here."


def test_html_entities_kept_in_the_model_and_decoded_on_screen(tmp_path: Path):
    fields = {"Result": "accuracy 91 &#177; 2 &amp; more"}
    paper, _ = one(digest_md({"cs.CL": [paper_md(1, "2401.00001", fields=fields)]}), tmp_path)
    assert paper.result == "accuracy 91 &#177; 2 &amp; more"
    assert render_field(paper.result).plain == "accuracy 91 ± 2 & more"


def test_thousands_of_authors(tmp_path: Path):
    names = ",".join(f"Author Number{n}" for n in range(3303))
    assert len(names) > 45_000
    paper, _ = one(digest_md({"hep-ex": [paper_md(1, "2401.00001", authors=names)]}), tmp_path)
    assert len(paper.authors) == 3303
    assert paper.first_author == "Author Number0 et al. (3,303 authors)"


def test_crlf_bom_and_no_final_newline(tmp_path: Path):
    text = digest_md({"cs.CV": [paper_md(1, "2401.00001"), paper_md(2, "2401.00002")]}).rstrip("\n")
    path = tmp_path / "d.md"
    path.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode())
    digest = read_digest(path)
    assert [p.id for p in digest.papers] == ["2401.00001", "2401.00002"]
    assert digest.papers[1].abstract == "abstract 2401.00002"
    assert digest.problems == ()


def test_failed_summaries_are_unavailable_not_content(tmp_path: Path):
    fields = {
        "TL;DR": "Summary generation failed",
        "Motivation": "Motivation analysis unavailable",
        "Method": "Method extraction failed",
        "Result": "N/A",
        "Conclusion": "Error",
    }
    paper, problems = one(
        digest_md({"cs.CL": [paper_md(1, "2401.00001", fields=fields)]}), tmp_path
    )
    assert problems == ()
    assert [paper.is_unavailable(name) for name, _ in FIELDS] == [True] * 5 + [False]
    assert paper.failed_summaries == 5
    assert paper.tldr == "Summary generation failed"  # the file's text is kept for export


def test_h2_papers_with_anchors_topic_toc_and_heading_blocks(tmp_path: Path):
    text = (
        "# Table of Contents\n\n## Cosmology\n\n- [Short one](#2604.21642v1)\n\n"
        "## Stars\n\n- [Short two](#2604.21790v1)\n\n\n"
        '## <a id="2604.21642v1"></a>[Long title one](http://arxiv.org/abs/2604.21642v1)\n\n'
        "**Interest Score:** `0.684`\n\n### Background Knowledge\n\n- point a\n- point b\n\n"
        "### Summary\n\nThe summary.\n\n\n"
        '## <a id="2604.21790v1"></a>[Long title two](http://arxiv.org/abs/2604.21790v1)\n\n'
        "### Summary\n\nSecond.\n"
    )
    digest = parse_markdown(text, tmp_path / "d.md")
    assert digest.problems == ()
    one_, two = digest.papers
    assert (one_.id, one_.section, two.id, two.section) == (
        "2604.21642",
        "Cosmology",
        "2604.21790",
        "Stars",
    )
    assert one_.extras == (
        ("Interest Score", "`0.684`"),
        ("Background Knowledge", "- point a\n- point b"),
        ("Summary", "The summary."),
    )


def test_fork_layouts_emoji_labels_tags_and_pdf_links(tmp_path: Path):
    text = (
        "# 每日 ArXiv 摘要速递: 2025-06-07\n\n"
        "### [T](https://arxiv.org/abs/2506.04515)\n"
        "**高价值** | *Ada Lovelace, Alan Turing*\n\n"
        "**💡 大白话**: plain words\n\n**一句话总结:** the gist\n\n"
        "**Categories:** `q-bio.QM`, `cs.AI`\n\n[**[PDF]**](https://arxiv.org/pdf/2506.04515)\n\n"
        "#### 🧩 TL;DR\n\nsecond: TL;DR is known and already set\n\n---\n"
    )
    paper, problems = one(text, tmp_path)
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.tldr == "the gist"
    assert (paper.category, paper.categories, paper.section) == (
        "q-bio.QM",
        ("q-bio.QM", "cs.AI"),
        "q-bio.QM",
    )
    assert paper.pdf == "https://arxiv.org/pdf/2506.04515"
    assert paper.extras == (
        ("Tag", "高价值"),
        ("大白话", "plain words"),
        ("TL;DR", "second: TL;DR is known and already set"),
    )
    assert [str(p) for p in problems] == []


def test_numbering_restarts_and_categories_with_spaces(tmp_path: Path):
    text = (
        "## Agent Sec [cs.CR]\n### [1] [A](https://arxiv.org/abs/2401.00001)\n\n"
        "## Frontier Sec\n### [1] [B](https://arxiv.org/abs/2401.00002)\n"
    )
    digest = parse_markdown(text, tmp_path / "d.md")
    assert [(p.id, p.section) for p in digest.papers] == [
        ("2401.00001", "Agent Sec"),
        ("2401.00002", "Frontier Sec"),
    ]


def test_unlabelled_text_is_kept_as_a_note_and_reported(tmp_path: Path):
    text = "### [1] [T](https://arxiv.org/abs/2401.00001)\nstray words\n\n*A, B*\n"
    paper, problems = one(text, tmp_path)
    assert paper.extras == (("Notes", "stray words"),)
    assert paper.authors == ("A", "B")
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'day.md'}:2: unknown line in paper: stray words"
    ]


def test_a_title_written_again_under_the_heading_is_its_translation(tmp_path: Path):
    """`> *中文标题*` between the heading and the authors (xmkxabc's fork): the title in the
    summaries' language, not an unknown line; the section anchor before the next heading is
    not one either. The same quote after the authors is text nobody labelled."""
    text = (
        "## cs.CR\n### [1] [Secure Energy](https://arxiv.org/abs/2401.00001)\n"
        "> *安全的能源交易*\n\n*A, B* | **Category: cs.CR**\n\n"
        "> **TL;DR:** 本研究。\n\n---\n\n<a id='csai'></a>\n## cs.AI\n"
        "### [2] [Later](https://arxiv.org/abs/2401.00002)\n*C*\n> *after the authors*\n"
    )
    digest = parse_markdown(text, tmp_path / "day.md")
    first, second = digest.papers
    assert first.title_translation == "安全的能源交易"
    assert first.authors == ("A", "B") and first.tldr == "本研究。"
    assert [label for label, _ in first.extras] == ["Title translation"]
    assert second.section == "cs.AI" and second.title_translation == ""
    assert second.extras == (("Notes", "> *after the authors*"),)
    assert [p.source.line for p in digest.problems] == [15]


def test_status_pages_have_no_papers_and_no_problems(tmp_path: Path):
    text = (
        "# 每日 ArXiv 論文智慧摘要: 2025-06-12\n\n## 📢 系統狀態\n\n### 可能原因\n\n- 沒有新論文\n"
    )
    digest = parse_markdown(text, tmp_path / "d.md")
    assert digest.papers == () and digest.problems == ()


def test_the_same_paper_twice_in_a_file_shows_the_later_summary_and_keeps_the_earlier(
    tmp_path: Path, monkeypatch
):
    """A pipeline that ran twice lists each paper twice, with two summaries: the later is what
    it kept. Shown once, at its first place, with the later summary; the earlier one is an
    extra pane; each repeat is reported; the table of contents counted both listings."""
    monkeypatch.setenv("DIGEST_TUI_CACHE", str(tmp_path / "cache"))
    later = {"TL;DR": "second run", "Conclusion": "second conclusion"}
    papers = [
        paper_md(1, "2401.00001", "Twice"),
        paper_md(2, "2401.00002", "Once"),
        paper_md(3, "2401.00001v2", "Twice", fields=later),
    ]
    path = write(tmp_path / "2026-01-01.md", digest_md({"cs.CV": papers}, {"cs.CV": 3}))
    for _ in ("cold", "warm"):  # the second time, bodies are read back through the cache
        library = load_library([path])
        assert [p.id for p in library.papers] == ["2401.00001", "2401.00002"]
        twice = library.papers[0]
        assert (twice.tldr, twice.conclusion) == ("second run", "second conclusion")
        assert twice.extras == (
            (
                "Earlier summary",
                "**TL;DR**: tldr 2401.00001\n\n**Motivation**: motivation 2401.00001\n\n"
                "**Method**: method 2401.00001\n\n**Result**: result 2401.00001\n\n"
                "**Conclusion**: conclusion 2401.00001",
            ),
        )
        assert [str(p) for p in library.problems] == [
            f"{path}:56: paper 2401.00001 appears again (first at line 12); "
            "the later summary is shown"
        ]


def test_a_whole_day_listed_twice_is_one_problem_line_not_one_a_paper(tmp_path: Path):
    """Upstream's JSONL of some days holds every paper twice (351 repeats on 2025-04-15): one
    line says so, at the first repeat; a few repeats are named one by one."""
    record = '{{"id": "2401.{:05d}", "title": "P{}", "summary": "s", "authors": ["A"]}}'
    three_times = [record.format(n % 2, n) for n in range(6)]  # two papers, three times each
    path = write(tmp_path / "d3.jsonl", "\n".join(three_times) + "\n")
    assert [p.message for p in read_jsonl(path).problems] == [
        "2 papers appear again (4 listings), to line 6 (2401.00000 was first at line 1); "
        "the later summaries are shown"
    ]
    for papers, expected in [
        (
            4,
            [
                f"{tmp_path}/d4.jsonl:5: 4 papers appear again, to line 8 (2401.00000 was "
                "first at line 1); the later summaries are shown"
            ],
        ),
        (
            2,
            [
                f"{tmp_path}/d2.jsonl:{3 + n}: paper 2401.{n:05d} appears again (first at line "
                f"{1 + n}); the later summary is shown"
                for n in range(2)
            ],
        ),
    ]:
        rows = [record.format(n, n) for n in range(papers)]
        path = write(tmp_path / f"d{papers}.jsonl", "\n".join(rows + rows) + "\n")
        digest = read_jsonl(path)
        assert len(digest.papers) == papers
        assert [str(p) for p in digest.problems] == expected


def test_jsonl_lines_with_partial_or_no_ai_and_bad_lines(tmp_path: Path):
    lines = [
        '{"id": "2401.00001", "categories": ["cs.CL", "cs.AI"], "pdf": "https://arxiv.org/pdf/2401.00001",'
        ' "abs": "https://arxiv.org/abs/2401.00001", "authors": ["A", "B"], "title": "One",'
        ' "comment": "10 pages", "summary": "Abstract one.", "AI": {"tldr": "<think>x</think>T",'
        ' "motivation": "M", "method": "Me", "result": "R", "conclusion": "C", "task": "Do"}}',
        '{"id": "2401.00002", "categories": ["cs.LG"], "authors": ["C"], "title": "Two",'
        ' "summary": "Abstract two."}',
        "{not json",
        '{"id": "2401.00003", "categories": ["cs.LG"], "title": "Three", "AI": {"tldr": "Only"}}',
        '"a string"',
    ]
    digest = read_jsonl(
        write(tmp_path / "2026-01-02_AI_enhanced_English.jsonl", "\n".join(lines)), "2026-01-02"
    )
    one_, three, two = sorted(digest.papers, key=lambda p: p.title)
    assert (one_.tldr, one_.categories, one_.comment, one_.extras) == (
        "T",
        ("cs.CL", "cs.AI"),
        "10 pages",
        (("Task", "Do"),),
    )
    assert one_.category == one_.section == "cs.CL" and one_.day == "2026-01-02"
    assert two.abstract == "Abstract two." and all(
        two.is_unavailable(n) for n in ("tldr", "method")
    )
    assert (three.tldr, three.method) == ("Only", "")
    assert [str(p).split(": ", 1)[1] for p in digest.problems] == [
        "invalid JSON: Expecting property name enclosed in double quotes",
        "not a JSON object",
    ]
    assert [p.source.line for p in digest.problems] == [3, 5]


def test_a_paper_listed_three_times_keeps_both_earlier_summaries(tmp_path: Path):
    runs = [{"TL;DR": f"run {n}"} for n in (1, 2, 3)]
    papers = [paper_md(n, "2401.00001", "Thrice", fields=run) for n, run in enumerate(runs, 1)]
    digest = parse_markdown(digest_md({"cs.CV": papers}, {"cs.CV": 3}), tmp_path / "d.md")
    (paper,) = digest.papers
    assert paper.tldr == "run 3"
    labels = [label for label, _ in paper.extras]
    assert labels == ["Earlier summary 1", "Earlier summary 2"]
    assert [text.split("\n")[0] for _, text in paper.extras] == [
        "**TL;DR**: run 1",
        "**TL;DR**: run 2",
    ]
