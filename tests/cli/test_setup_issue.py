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
        ["某某协会简报", "三月", "第三期", "某某协会", "李四", "", "报送：甲单位", "乙", "抄报：丙单位", ""]
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
    assert "“三月”不是期号" in out  # and asked again
    assert "第一份简报的期号［第一期］：" in asked
    from toolkit.settings import parse_settings

    settings = parse_settings((office / "toolkit.toml").read_bytes())
    assert (settings.masthead, settings.office, settings.organisation) == (
        "某某协会简报",
        "某某协会办公室",
        "某某协会",
    )
    assert (settings.issue, settings.receiver, settings.supervisor) == (3, "李四", "")
    assert 'issue = "第三期"' in (office / "toolkit.toml").read_text("utf-8")
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


# ---------------------------------------------------------------- toolkit issue


def issue_line_of(path: Path) -> str:
    return bulletin_text(path).splitlines()[1]


def test_an_issued_bulletin_is_never_rewritten_and_a_change_gets_a_correction(
    office: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from tests.workbooks import plain_rows

    workbook = office / "watched" / "捐款名单.xlsx"
    run(["render"], capsys)
    issued = (office / "output" / "捐款名单.docx").read_bytes()
    code, out, _ = run(["issue", "output/捐款名单.docx"], capsys)
    assert code == 0
    assert out == (
        "已标记为已发出：output/捐款名单.docx（第一期）。以后不会再改写它；"
        "表格再有改动时，会另外生成 捐款名单（更正）.docx。\n"
    )
    # Settings change, the workbook does not: the issued bulletin stands as it is.
    (office / "toolkit.toml").write_text('masthead = "某某协会简报"\n', encoding="utf-8")
    code, out, _ = run(["render"], capsys)
    assert "捐款名单.docx（第一期）已发出，表格没有改动，保持原样" in out
    assert not (office / "output" / "捐款名单（更正）.docx").exists()
    # The workbook changes: a correction, and the issued bulletin byte for byte.
    workbook.write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 50)])))
    code, out, _ = run(["render"], capsys)
    assert code == 0
    assert "→ output/捐款名单（更正）.docx（第一期（更正））" in out
    assert (office / "output" / "捐款名单.docx").read_bytes() == issued
    assert issue_line_of(office / "output" / "捐款名单（更正）.docx") == "第一期（更正）"
    # A broken workbook never takes the issued bulletin away; the correction goes to history.
    workbook.write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    assert run(["render"], capsys)[0] == 1
    assert (office / "output" / "捐款名单.docx").read_bytes() == issued
    assert not (office / "output" / "捐款名单（更正）.docx").exists()
    assert [p.name.startswith("捐款名单（更正）") for p in (office / "output" / "历史版本").iterdir()] == [
        True
    ]


def test_issue_by_workbook_name_and_the_register_listing(
    office: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from tests.workbooks import plain_rows

    (office / "watched" / "三月.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    run(["render"], capsys)
    assert run(["issue", "watched/捐款名单.xlsx"], capsys)[0] == 0
    code, out, _ = run(["issue", "output/捐款名单.docx"], capsys)
    assert (code, out) == (0, "捐款名单.docx（第二期）早已标记为已发出。\n")
    code, out, _ = run(["issue"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "第一期  三月.xlsx → 三月.docx 当前",
        "第二期  捐款名单.xlsx → 捐款名单.docx 已发出",
    ]


def test_issue_of_an_unknown_bulletin_says_what_to_write(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["render"], capsys)
    (office / "output" / "别的.docx").write_bytes(b"made by hand")
    code, _, err = run(["issue", "output/别的.docx"], capsys)
    assert code == 1
    assert "output 里没有 toolkit 生成的简报 别的.docx" in err and "[register.unknown_bulletin]" in err


def test_issue_waits_for_a_bulletin_being_rendered(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.publish.claims import input_key, try_claim

    run(["render"], capsys)
    claim = try_claim(office / "output", input_key("捐款名单.xlsx"))
    assert claim is not None
    with claim:
        code, _, err = run(["issue", "output/捐款名单.docx"], capsys)
    assert code == 1
    assert "捐款名单.xlsx 正在生成简报，请几秒钟后再运行 toolkit issue [register.busy]" in err
    assert run(["issue", "output/捐款名单.docx"], capsys)[0] == 0


def edit_in_word(path: Path) -> None:
    document = Document(str(path))
    document.add_paragraph("手改的一句")
    document.save(str(path))


def test_issue_names_the_correction_file_that_will_be_written(
    office: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from tests.workbooks import plain_rows

    workbook = office / "watched" / "捐款名单.xlsx"
    run(["render"], capsys)
    edit_in_word(office / "output" / "捐款名单.docx")
    workbook.write_bytes(make_workbook(plain_rows([("张三", 100)])))
    assert "→ output/捐款名单（新版）.docx" in run(["render"], capsys)[1]
    code, out, _ = run(["issue", "watched/捐款名单.xlsx"], capsys)
    assert (code, out.splitlines()[-1].rsplit("会另外生成 ", 1)[1]) == (0, "捐款名单（更正）.docx。")
    workbook.write_bytes(make_workbook(plain_rows([("张三", 200)])))
    assert "→ output/捐款名单（更正）.docx（第一期（更正））" in run(["render"], capsys)[1]


def test_a_bulletin_edited_after_toolkit_wrote_it_can_be_issued(
    office: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from tests.workbooks import plain_rows

    workbook = office / "watched" / "捐款名单.xlsx"
    run(["render"], capsys)
    edit_in_word(office / "output" / "捐款名单.docx")
    sent = (office / "output" / "捐款名单.docx").read_bytes()
    workbook.write_bytes(make_workbook(plain_rows([("张三", 100)])))
    run(["render"], capsys)  # the new version goes beside the edited one: 捐款名单（新版）.docx
    code, out, err = run(["issue", "output/捐款名单.docx"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "注意 捐款名单.docx 在 toolkit 生成后改过（可能在 Word 中）；标记为已发出的是改过的这一份，也就是你发出的那份。",
        "已标记为已发出：output/捐款名单.docx（第一期）。以后不会再改写它；表格再有改动时，会另外生成 捐款名单（更正）.docx。",
    ]
    workbook.write_bytes(make_workbook(plain_rows([("张三", 200)])))
    assert "→ output/捐款名单（更正）.docx（第一期（更正））" in run(["render"], capsys)[1]
    assert (office / "output" / "捐款名单.docx").read_bytes() == sent
