"""action.yml (the GitHub Action) and docs/gitlab-ci.yml against the published schemas check-jsonschema ships (offline).

Its shell steps run against the sample in tests/test_end_to_end.py (they need the speech model's transcript).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKER = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize(("schema", "path"), [("vendor.github-actions", ROOT / "action.yml"), ("vendor.gitlab-ci", ROOT / "docs" / "gitlab-ci.yml")])
def test_valid_against_the_published_schema(schema, path):
    result = subprocess.run([str(CHECKER), "--builtin-schema", schema, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_does_refuse_a_broken_action(tmp_path):
    broken = tmp_path / "action.yml"
    broken.write_text((ROOT / "action.yml").read_text(encoding="utf-8").replace("using: composite", "using: compost"))
    assert subprocess.run([str(CHECKER), "--builtin-schema", "vendor.github-actions", str(broken)], capture_output=True).returncode == 1
