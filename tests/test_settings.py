"""Settings: toolkit.toml keys, their defaults, and clear messages for bad values."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from tests.workbooks import SEED_SETTINGS_WORDS, seed_settings
from toolkit.errors import SettingsError
from toolkit.settings import MAX_GROUPS, PLACEHOLDERS, Settings, parse_settings


def test_defaults_name_no_organisation() -> None:
    """Without toolkit.toml a bulletin is a neutral 捐赠公示 issued by the workbook's own 单位."""
    s = Settings()
    assert (s.masthead, s.office, s.caption, s.distribution) == ("捐赠公示", "{org}", "", ())
    assert s.groups == 4
    shown = repr(s)
    assert not [word for word in SEED_SETTINGS_WORDS if word in shown]


def test_the_example_settings_give_the_seed_its_look() -> None:
    s = seed_settings()
    assert s.masthead == "全国质协系统抗击疫情防控工作 简报"
    assert (s.issue, s.office, s.issue_date) == (8, "中国质量协会宣传部", "2020年2月14日")
    assert [label for label, _ in s.distribution] == ["报送", "抄报", "发送"]


def test_keys_at_top_level_or_under_bulletin() -> None:
    s = parse_settings('groups = 3\n[bulletin]\nissue = "第九期"\n')
    assert (s.groups, s.issue) == (3, 9)


@pytest.mark.parametrize(("written", "number"), [('"第八期"', 8), ("8", 8), ('"8"', 8), ('"第二十一期"', 21)])
def test_the_first_issue_is_written_as_a_clerk_writes_it(written: str, number: int) -> None:
    assert parse_settings(f"issue = {written}").issue == number


def test_distribution_forms() -> None:
    s = parse_settings('distribution = ["报送：甲", ["抄报", "乙"]]')
    assert s.distribution == (("报送", "甲"), ("抄报", "乙"))
    assert parse_settings("distribution = []").distribution == ()
    assert parse_settings("").distribution == ()


TEXT = '# 本单位的设置\nmasthead = "某某协会简报"\n'


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("gbk"),  # Notepad's "ANSI" on a Chinese Windows
        TEXT.encode("utf-16"),  # Notepad's "Unicode", with its BOM
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf-8", "utf-8 with BOM", "gbk", "utf-16-le", "utf-16-be"],
)
def test_notepads_encodings_are_read(data: bytes) -> None:
    assert parse_settings(data).masthead == "某某协会简报"


def test_an_unreadable_encoding_is_told_in_chinese() -> None:
    with pytest.raises(SettingsError) as info:
        parse_settings(b'masthead = "\x80\xff"\n', "toolkit.toml")
    [problem] = info.value.problems
    assert (problem.code, problem.file) == ("settings.encoding", "toolkit.toml")
    assert "另存为" in problem.message and "UTF-8" in problem.message


def test_a_relative_template_is_found_beside_the_settings_file() -> None:
    folder = PurePath("/srv/捐款")
    assert parse_settings('template = "模板/简报.docx"', folder=folder).template == str(
        folder / "模板/简报.docx"
    )
    absolute = str(Path("/opt/简报.docx").resolve())
    assert parse_settings(f"template = {absolute!r}", folder=folder).template == absolute
    assert parse_settings('template = "x.docx"').template == "x.docx"  # no file: as given


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("grops = 3", "grops"),
        ("groups = 9", "groups"),
        ('groups = "4"', "groups"),
        ("issue = 0", "issue"),
        ('issue = "第八"', "issue"),
        ("issue = true", "issue"),
        ("history = -1", "history"),
        ('mask_names = "yes"', "mask_names"),
        ("mask_names = 1", "mask_names"),
        ('intro = "共{money}元"', "intro"),
        ('intro = "共{total元"', "intro"),
        ('intro = "{total:,}"', "intro"),
        ('intro = "{total!r:>10}"', "intro"),
        ('intro = "{}"', "intro"),
        ("distribution = 3", "distribution"),
        ("max_rows = 0", "max_rows"),
    ],
)
def test_bad_setting_names_the_key(text: str, key: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse_settings(text)
    problem = info.value.problems[0]
    assert problem.code == "settings.invalid"
    assert f"设置项 {key}" in problem.message


def test_syntax_error() -> None:
    with pytest.raises(SettingsError) as info:
        parse_settings("groups = = 3")
    assert info.value.problems[0].code == "settings.syntax"


def test_every_setting_can_be_set_from_toolkit_toml() -> None:
    """A new field of `Settings` is a new key of toolkit.toml, with nothing else to change."""
    from dataclasses import fields

    samples = {bool: "true", str: '"某某协会"', int: "3", tuple: '["报送：甲"]'}  # bool before int
    for field in fields(Settings):
        default = getattr(Settings(), field.name)
        kind = next(k for k in samples if isinstance(default, k))
        parsed = parse_settings(f"{field.name} = {samples[kind]}\n")
        assert getattr(parsed, field.name) != default, field.name


def test_groups_run_from_one_to_the_limit() -> None:
    assert parse_settings("groups = 1").groups == 1
    assert parse_settings(f"groups = {MAX_GROUPS}").groups == MAX_GROUPS
    for bad in (0, MAX_GROUPS + 1):
        with pytest.raises(SettingsError) as info:
            parse_settings(f"groups = {bad}")
        assert f"应在 1 到 {MAX_GROUPS} 之间" in info.value.problems[0].message


def test_every_placeholder_is_accepted_and_an_unknown_one_lists_them() -> None:
    text = "".join("{" + name + "}" for name in PLACEHOLDERS)
    assert parse_settings(f'intro = "{text}"').intro == text
    with pytest.raises(SettingsError) as info:
        parse_settings('intro = "{money}"')
    assert all("{" + name + "}" in info.value.problems[0].message for name in PLACEHOLDERS)
