"""The toolkit.toml that ``toolkit setup`` writes: commented in Chinese, and it reads back as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import SettingsError
from toolkit.settings import Settings, parse_settings
from toolkit.settings_file import SETUP_KEYS, settings_text, write_settings_file

VALUES = {
    "masthead": "某某协会“工作”简报",
    "office": "某某协会办公室",
    "issue": 21,
    "distribution": (("报送", "市民政局、市慈善总会"), ("抄报", "甲:乙"), ("发送", " 前后有空格 ")),
    "organisation": "某某协会",
    "receiver": 'A "B" \\ C',
    "supervisor": "王五",
}


def test_the_text_reads_back_as_the_values_given() -> None:
    settings = parse_settings(settings_text(VALUES))
    for key, value in VALUES.items():
        assert getattr(settings, key) == value, key
    assert settings.groups == Settings().groups  # the others stay defaults


def test_the_first_issue_is_written_as_bulletins_write_it() -> None:
    assert 'issue = "第二十一期"' in settings_text(VALUES).splitlines()


def test_every_key_it_writes_has_a_chinese_comment_above() -> None:
    lines = settings_text(VALUES).splitlines()
    for key in SETUP_KEYS:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        assert lines[at - 1].startswith("# ") and not lines[at - 1].isascii(), key


def test_the_other_settings_are_listed_commented_out() -> None:
    text = settings_text({})
    assert "# groups = 4" in text and "# max_rows = 1048576" in text
    assert parse_settings(text) == Settings()


def test_a_value_that_would_not_load_is_refused() -> None:
    with pytest.raises(SettingsError):
        settings_text({"masthead": "{单位}简报"})


def test_it_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "toolkit.toml"
    write_settings_file(target, VALUES)
    assert target.read_bytes().decode("utf-8").startswith("# toolkit 设置文件")
    with pytest.raises(FileExistsError):
        write_settings_file(target, {"masthead": "别的"})
    assert parse_settings(target.read_bytes()).masthead == VALUES["masthead"]
