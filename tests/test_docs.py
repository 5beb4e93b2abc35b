"""The documentation travels with the code: its links resolve inside the repository, and the
state machine in docs/ARCHITECTURE.md is the one in dossiers/workflow.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from motcua.dossiers.constants import Action, DossierStatus
from motcua.dossiers.workflow import TRANSITIONS, Transition

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
# Folders that are not the project's documents (tools, virtual environments, outputs).
SKIPPED = {".git", ".venv", "node_modules", "var", "out", "build", "dist"}

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# [text](target "title") and ![alt](target); the target may be wrapped in <>.
_INLINE_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
# [label]: target
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
BEGIN, END = "<!-- transitions:begin -->", "<!-- transitions:end -->"


def markdown_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.md")
        if not SKIPPED.intersection(path.relative_to(root).parts[:-1])
    )


def markdown_links(text: str) -> list[str]:
    """Every link target of a Markdown text, outside code blocks and code spans."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", text))
    return _INLINE_LINK.findall(text) + _REFERENCE_LINK.findall(text)


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """The relative links of `path` that do not name a file or folder inside `root`."""
    broken = []
    for target in markdown_links(path.read_text(encoding="utf-8")):
        if "../shared" in target:
            broken.append(f"{target} (outside the repository)")
            continue
        if target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
            continue
        relative = target.split("#", 1)[0].split("?", 1)[0]
        base = root if relative.startswith("/") else path.parent
        resolved = (base / relative.lstrip("/")).resolve()
        if not resolved.is_relative_to(root.resolve()):
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (no such file)")
    return broken


def test_the_repository_has_its_documents() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in markdown_files()}
    assert {"README.md", "docs/ARCHITECTURE.md", "docs/DOMAIN.md", "bench/RESULTS.md"} <= names


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_repository(path: Path) -> None:
    assert broken_links(path) == []


def test_no_document_points_at_the_teams_shared_folder() -> None:
    # A clone has no ../shared; even a path in backticks there would send a reader nowhere.
    mentions = [
        path.relative_to(ROOT).as_posix()
        for path in markdown_files()
        if "../shared" in path.read_text(encoding="utf-8")
    ]
    assert mentions == []


def test_the_readme_links_the_architecture_and_the_domain() -> None:
    links = markdown_links((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "docs/ARCHITECTURE.md" in links
    assert "docs/DOMAIN.md" in links


def test_the_link_check_finds_broken_and_escaping_links(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "A.md").write_text("# A\n", encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text(
        "[fine](docs/A.md#a) [web](https://example.org/x.md) [here](#top)\n"
        "[gone](docs/B.md) [out](../elsewhere.md) ![img](docs/missing.png)\n"
        "[team](../shared/DESIGN.md)\n"
        "[ref]: docs/C.md\n"
        "`[code](docs/D.md)`\n"
        "```\n[fenced](docs/E.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, root=tmp_path) == [
        "docs/B.md (no such file)",
        "../elsewhere.md (outside the repository)",
        "docs/missing.png (no such file)",
        "../shared/DESIGN.md (outside the repository)",
        "docs/C.md (no such file)",
    ]


# --- the state machine ---------------------------------------------------------------------


def _who(transition: Transition) -> str:
    who = [f"`{role}`" for role in sorted(transition.roles)]
    if transition.owner:
        who.append("owner")
    if transition.assignee:
        who.append("assignee")
    if transition.system:
        who.append("system")
    return ", ".join(who)


def transition_table() -> str:
    """The table of docs/ARCHITECTURE.md §3, written from workflow.TRANSITIONS."""
    lines = ["| from | action | to | who may act | notes |", "|---|---|---|---|---|"]
    for t in TRANSITIONS:
        source = f"`{t.source}`" if t.source else "— (creates)"
        targets = " or ".join(f"`{target}`" for target in t.targets)
        lines.append(f"| {source} | `{t.action}` | {targets} | {_who(t)} | {t.notes} |")
    return "\n".join(lines)


def _documented_table() -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "the transition table's markers are missing"
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def test_the_documented_transitions_are_the_workflow_table() -> None:
    expected = transition_table()
    assert _documented_table() == expected, (
        "docs/ARCHITECTURE.md §3 differs from dossiers/workflow.py; put this between "
        f"the markers:\n\n{expected}\n"
    )


def test_every_state_and_action_of_the_workflow_is_documented() -> None:
    table = _documented_table()
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for status in DossierStatus:
        assert f"`{status.value}`" in table, status
        assert str(status.label) in text, status.label
    for action in Action:
        assert f"`{action.value}`" in table, action
