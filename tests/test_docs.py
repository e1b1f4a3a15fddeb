"""The docs are part of the product: the Quick start, the CI script and the command list stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_parser import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    assert block is not None, "Quick start must hold a code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_one_line_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all(not c.lstrip().startswith(("#", "$")) for c in commands)
    assert "toolkit render" in commands[0]
    assert "pytest" in commands[1]


def test_quick_start_renders_the_sample_with_the_shipped_example_settings() -> None:
    """The sample keeps the seed bulletin's look through an example file, not through the defaults."""
    from tests.workbooks import SEED_SETTINGS_FILE

    config = re.search(r"--config (\S+)", quick_start_commands()[0])
    assert config is not None, "the first command names the example settings"
    assert REPO / config.group(1) == SEED_SETTINGS_FILE
    assert SEED_SETTINGS_FILE.is_file()


def test_ci_runs_the_quick_start_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_first_screen_says_what_it_does() -> None:
    first = README.split("## Quick start", 1)[0]
    assert "Word" in first and ".xlsx" in first


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"toolkit {command}" in README


def test_every_template_variable_is_documented() -> None:
    from toolkit.render import TEMPLATE_VARIABLES

    for name in TEMPLATE_VARIABLES:
        assert f"`{name}`" in README, name


def test_the_placeholders_and_the_groups_limit_are_documented() -> None:
    from toolkit.settings import MAX_GROUPS, PLACEHOLDERS

    settings = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    placeholders = re.findall(r"`\{(\w+)\}`", settings.split("```", 1)[0])
    assert placeholders == list(PLACEHOLDERS)
    assert f"1 to {MAX_GROUPS}" in settings


def test_sample_in_watched_is_the_seed() -> None:
    from tests.workbooks import seed_workbook
    from toolkit.read import read_workbook

    shipped = read_workbook((REPO / "watched" / "捐款名单.xlsx").read_bytes(), "捐款名单.xlsx")
    built = read_workbook(seed_workbook(), "捐款名单.xlsx")
    assert [list(r) for r in shipped.sheets[0].rows] == [list(r) for r in built.sheets[0].rows]


def test_gitignore_keeps_generated_output_out() -> None:
    ignored = (REPO / ".gitignore").read_text("utf-8").split()
    for entry in ("output/", ".venv/", "__pycache__/"):
        assert entry in ignored


def readme_settings_block() -> str:
    section = README.split("## Settings: `toolkit.toml`", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None, "the Settings section must hold a ```toml block"
    return block.group(1)


def test_readme_settings_block_loads(tmp_path: Path) -> None:
    """The block a clerk copies into toolkit.toml loads as it is, through the same loader as the CLI."""
    import sys
    from dataclasses import fields

    from toolkit.intake import read_settings
    from toolkit.settings import Settings, parse_settings

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 only
        import tomli as tomllib

    text = readme_settings_block()
    (tmp_path / "toolkit.toml").write_text(text, encoding="utf-8")
    data, path = read_settings(None, tmp_path)
    assert data is not None and path is not None
    settings = parse_settings(data, path.name, folder=path.parent)
    shown = tomllib.loads(text)["bulletin"]
    assert set(shown) == {f.name for f in fields(Settings)}, "the block shows every setting, and only those"
    for key, value in shown.items():
        if key != "distribution":
            assert getattr(settings, key) == value, key
    assert [f"{label}：{text}" for label, text in settings.distribution] == shown["distribution"]


# ---------------------------------------------------------------- CONTRIBUTING.md

CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text("utf-8")
_REPO_PATH = re.compile(r"`((?:toolkit|tests|templates|benchmarks|docs|\.ci)/[^`\s]*)`")

# PENDING SPLIT: a module that becomes a package on its own branch. Until it lands, the paths
# CONTRIBUTING.md names inside the package are skipped, with a reason that says so; once it lands, its
# entry goes and they are checked like every other (toolkit/parse/ and toolkit/render/ are).
_PENDING_PACKAGES: tuple[str, ...] = ()


def contributing_paths() -> list[str]:
    return sorted(set(_REPO_PATH.findall(CONTRIBUTING)))


def test_contributing_is_linked_from_the_readme() -> None:
    development = README.split("## Development", 1)[1]
    assert "(CONTRIBUTING.md)" in development


@pytest.mark.parametrize("path", contributing_paths())
def test_every_path_contributing_names_exists(path: str) -> None:
    package = next((p for p in _PENDING_PACKAGES if path == p or path.startswith(p + "/")), None)
    if package is not None and (REPO / f"{package}.py").is_file():
        pytest.skip(f"PENDING SPLIT: {package}.py is still one module, so {path} cannot exist yet")
    assert (REPO / path.rstrip("/")).exists(), f"CONTRIBUTING.md names {path}, which does not exist"
