"""First run, issue numbers and issued bulletins, as a clerk meets them on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from tests.workbooks import SEED_SETTINGS_FILE, SEED_SETTINGS_WORDS, seed_workbook
from toolkit import messages
from toolkit.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def bulletin_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clerk's fresh working folder holding the sample workbook in watched/, and no settings file."""
    (tmp_path / "watched").mkdir()
    (tmp_path / "watched" / "捐款名单.xlsx").write_bytes(seed_workbook())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_settings_the_bulletin_names_no_other_organisation(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["render"], capsys)
    assert code == 0
    assert err.splitlines()[0] == messages.prefixed(messages.NO_SETTINGS)
    text = bulletin_text(office / "output" / "捐款名单.docx")
    assert text.startswith("捐赠公示\n")
    assert "新疆维吾尔自治区质量协会" in text  # the workbook's own 单位 is the issuing office
    assert [word for word in SEED_SETTINGS_WORDS if word in text] == []


def test_the_notice_is_not_printed_once_a_settings_file_is_there(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (office / "toolkit.toml").write_text('masthead = "某某协会简报"\n', encoding="utf-8")
    _, _, err = run(["render"], capsys)
    assert messages.NO_SETTINGS not in err
    assert bulletin_text(office / "output" / "捐款名单.docx").startswith("某某协会简报\n")


def test_check_does_not_print_the_notice(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "watched/捐款名单.xlsx"], capsys)[2] == ""


def test_the_shipped_example_gives_the_sample_the_seed_look(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["render", "--config", str(SEED_SETTINGS_FILE)], capsys)
    assert (code, err) == (0, "")
    text = bulletin_text(office / "output" / "捐款名单.docx")
    assert text.startswith("全国质协系统抗击疫情防控工作 简报\n第八期\n中国质量协会宣传部")


def test_a_template_named_in_the_settings_is_found_beside_them(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.intake import default_template_path

    (office / "设置").mkdir()
    (office / "设置" / "简报模板.docx").write_bytes(default_template_path().read_bytes())
    (office / "设置" / "toolkit.toml").write_text('template = "简报模板.docx"\n', encoding="utf-8")
    code, _, err = run(["render", "--config", "设置/toolkit.toml"], capsys)
    assert (code, err) == (0, "")


def test_a_gbk_settings_file_from_notepad_is_read(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (office / "toolkit.toml").write_bytes('masthead = "某某协会简报"\n'.encode("gbk"))
    assert run(["render"], capsys)[0] == 0
    assert bulletin_text(office / "output" / "捐款名单.docx").startswith("某某协会简报\n")


# ---------------------------------------------------------------- toolkit setup


def test_setup_then_render_carries_the_organisations_own_masthead(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["render"], capsys)
    code, out, _ = run(
        [
            "setup",
            "--masthead",
            "某某慈善会工作简报",
            "--office",
            "某某慈善会秘书处",
            "--distribution",
            "报送：市民政局",
            "--distribution",
            "发送：各会员单位",
            "--receiver",
            "张三",
            "--no-input",
        ],
        capsys,
    )
    assert code == 0
    assert out.startswith("已生成 toolkit.toml（报头：某某慈善会工作简报）")
    code, _, err = run(["render"], capsys)
    assert (code, err) == (0, "")
    text = bulletin_text(office / "output" / "捐款名单.docx")
    assert text.startswith("捐赠公示\n") is False
    assert text.splitlines()[:1] == ["某某慈善会工作简报"]
    assert "某某慈善会秘书处" in text and "报送：市民政局" in text and "发送：各会员单位" in text


def test_setup_never_overwrites_a_settings_file(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (office / "toolkit.toml").write_text('masthead = "原来的"\n', encoding="utf-8")
    code, _, err = run(["setup", "--masthead", "新的", "--no-input"], capsys)
    assert code == 2
    assert "toolkit.toml 已存在，不会覆盖" in err
    assert (office / "toolkit.toml").read_text("utf-8") == 'masthead = "原来的"\n'


def test_setup_asks_in_chinese_on_a_terminal(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(
        ["某某协会简报", "第三期", "某某协会", "李四", "", "报送：甲单位", "乙", "抄报：丙单位", ""]
    )
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    code, out, _ = run(["setup", "--office", "某某协会办公室"], capsys)
    assert code == 0
    assert asked[0] == "报头（简报名称，红色大字）［捐赠公示］："
    assert not [q for q in asked if q.startswith("发文单位")]  # given by its option
    assert "请写成“报送：单位名单”这样" in out  # "乙" has no label: asked again
    from toolkit.settings import parse_settings

    settings = parse_settings((office / "toolkit.toml").read_bytes())
    assert (settings.masthead, settings.office, settings.organisation) == (
        "某某协会简报",
        "某某协会办公室",
        "某某协会",
    )
    assert (settings.issue, settings.receiver, settings.supervisor) == ("第三期", "李四", "")
    assert settings.distribution == (("报送", "甲单位"), ("抄报", "丙单位"))


def test_setup_refuses_a_distribution_line_without_its_label(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["setup", "--distribution", "市民政局", "--no-input"], capsys)
    assert code == 2
    assert "--distribution" in err
    assert not (office / "toolkit.toml").exists()


def test_init_points_to_setup_while_there_is_no_settings_file(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["init", "新名单.xlsx"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == messages.INIT_NO_SETTINGS
    (office / "toolkit.toml").write_text("", encoding="utf-8")
    assert messages.INIT_NO_SETTINGS not in run(["init", "另一个.xlsx"], capsys)[1]
