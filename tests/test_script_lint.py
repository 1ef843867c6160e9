"""Golden tests of `dreamviz check` output (tests/golden/lint/NAME.dream -> NAME.out).

Regenerate after an intended change with: DREAMVIZ_UPDATE_GOLDEN=1 pytest tests/test_script_lint.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from visualizer.cli import main
from visualizer.commands.check import check_file

GOLDEN = Path(__file__).parent / "golden" / "lint"
CASES = sorted(p.name for p in GOLDEN.glob("*.dream"))


def test_there_are_golden_cases() -> None:
    assert {"clean.dream", "cues.dream", "ranges.dream", "scenes.dream", "syntax.dream",
            "unknown_names.dream", "binary.dream", "empty.dream"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_lint_output_matches_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)
    text = "".join(line + "\n" for line in check_file(name))
    expected = GOLDEN / name.replace(".dream", ".out")
    if os.environ.get("DREAMVIZ_UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_check_exit_code(name: str, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(GOLDEN)
    code = main(["check", name])
    out = capsys.readouterr()
    assert code == (0 if name == "clean.dream" else 1)
    assert "Traceback" not in out.out + out.err
    for line in out.out.splitlines():
        if line and not line.startswith(" "):
            assert line.startswith(f"{name}:"), line


def test_every_finding_has_a_line_and_caret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)
    for block in check_file("unknown_names.dream"):
        head, source, caret = block.split("\n")
        location, _, message = head.partition(": ")
        _, _line, col = location.split(":")
        assert source.startswith("    ") and caret.strip() == "^"
        assert len(caret) - 1 == int(col) - 1 + 4
        assert message


def test_check_usage_and_many_files(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2
    capsys.readouterr()
    assert main(["check", "-q", str(GOLDEN / "clean.dream"), "mirror-grove"]) == 0
    assert main(["check", str(GOLDEN / "clean.dream"), str(GOLDEN / "nope.dream")]) == 1
    out = capsys.readouterr()
    assert "nope.dream: no such file" in out.out
    assert "1 finding" in out.err
