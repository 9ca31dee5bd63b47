"""The README's promises about installing: its two commands, CI running them, seeds in the wheel."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from tests.conftest import ROOT, SEED_A, SEED_B

INSTALL_AND_OPEN = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/digest-tui"
INSTALL_AND_TEST = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/pytest"


def test_readme_starts_with_the_two_set_up_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == ["```sh", INSTALL_AND_OPEN, INSTALL_AND_TEST, "```"]


def test_ci_runs_the_readme_test_command():
    commands = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == [INSTALL_AND_TEST]


def test_the_installed_package_carries_the_seeds():
    dist = metadata.distribution("digest-tui")
    direct_url = dist.read_text("direct_url.json")
    if direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"):
        pytest.skip("an editable install reads the seeds from the checkout")
    shipped = {str(path) for path in dist.files or ()}
    for seed in (SEED_A, SEED_B):
        assert f"digest_tui/seeds/{seed.name}" in shipped
