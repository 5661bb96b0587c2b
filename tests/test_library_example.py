"""The README's "Use it as a library" example runs as written (in a fresh process, from
the repository, on the sample articles) and prints what the README says it prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1, "one Python example in the section"
    return blocks[0]


def test_the_library_example_runs(sample_dir):
    proc = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.match(r"5 sources, \d+ counterpart links\n", out), out[:200]
    assert re.search(r"^shared by 5 sources:$", out, re.M)
    assert re.search(r"^counterpart \S+\.txt:\d+ \d\.\d\d$", out, re.M)
    assert re.search(r"^\d+ counterpart links when strict$", out, re.M)
    assert "# Marked passages" in out and "**Note:** the call's length" in out
    assert proc.stderr == ""
