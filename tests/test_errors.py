"""The error hierarchy: every error toolkit raises carries problems a clerk can read, with their codes."""

from __future__ import annotations

import pickle

import pytest

from toolkit.errors import (
    FolderError,
    FolderMissing,
    FolderUnusable,
    InvalidAmount,
    PdfFailed,
    Problem,
    RenderFailed,
    SettingsError,
    Severity,
    TemplateError,
    ToolkitError,
    UnreadableWorkbook,
)

PROBLEM = Problem(
    "amount.not_a_number", "金额“abc”不是数字", Severity.ERROR, "捐款.xlsx", "Sheet1", "C7", "abc"
)


def test_a_problem_is_one_line_for_the_clerk() -> None:
    assert PROBLEM.format() == "捐款.xlsx > Sheet1 > C7：金额“abc”不是数字 [amount.not_a_number]"
    assert Problem("file.empty", "文件是空的").format() == "文件是空的 [file.empty]"


def test_a_problem_as_json_has_every_field() -> None:
    assert PROBLEM.to_json() == {
        "file": "捐款.xlsx",
        "sheet": "Sheet1",
        "cell": "C7",
        "code": "amount.not_a_number",
        "severity": "error",
        "value": "abc",
        "message": "金额“abc”不是数字",
    }


def test_located_names_the_file() -> None:
    assert Problem("file.empty", "文件是空的").located("a.xlsx").where() == "a.xlsx"


@pytest.mark.parametrize(
    "kind",
    [
        UnreadableWorkbook,
        TemplateError,
        RenderFailed,
        SettingsError,
        FolderMissing,
        FolderUnusable,
        PdfFailed,
    ],
)
def test_every_error_carries_its_problems(kind: type[ToolkitError]) -> None:
    error = kind(PROBLEM)
    assert isinstance(error, ToolkitError)
    assert error.problems == (PROBLEM,)
    assert str(error) == PROBLEM.format()


def test_an_error_may_carry_several_problems() -> None:
    second = Problem("amount.negative", "金额是负数", cell="C8")
    error = UnreadableWorkbook([PROBLEM, second])
    assert error.problems == (PROBLEM, second)
    assert str(error).splitlines() == [PROBLEM.format(), second.format()]


def test_folder_errors_share_a_base() -> None:
    assert issubclass(FolderMissing, FolderError) and issubclass(FolderUnusable, FolderError)
    assert not issubclass(FolderMissing, FolderUnusable)


def test_invalid_amount_is_one_located_problem() -> None:
    error = InvalidAmount("amount.negative", "金额“-5”是负数", "-5")
    assert (error.code, error.reason, error.value) == ("amount.negative", "金额“-5”是负数", "-5")
    assert error.problems == (Problem("amount.negative", "金额“-5”是负数", value="-5"),)
    located = error.problem(file="a.xlsx", sheet="Sheet1", cell="C3", severity=Severity.WARNING)
    assert located == Problem(
        "amount.negative", "金额“-5”是负数", Severity.WARNING, "a.xlsx", "Sheet1", "C3", "-5"
    )


def test_invalid_amount_survives_pickling() -> None:
    error = InvalidAmount("amount.negative", "金额“-5”是负数", "-5")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.reason, copy.value) == ("amount.negative", "金额“-5”是负数", "-5")
    assert copy.problems == error.problems
