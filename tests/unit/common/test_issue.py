from common.issue import Issue, has_errors


def _issue(line: int, severity: str = "error") -> Issue:
    return Issue(
        "E201", severity, "bank.yaml", line, "questions[0]", "unknown key 'x'", "please remove it"
    )  # type: ignore[arg-type]


def test_format_is_file_line_code_message_and_fix():
    assert _issue(12).format() == (
        "bank.yaml:12: E201 unknown key 'x' (at questions[0]). Please remove it."
    )


def test_whole_file_problems_show_line_1():
    assert _issue(0).format().startswith("bank.yaml:1: E201")


def test_has_errors_ignores_warnings():
    assert has_errors([_issue(1)])
    assert not has_errors([_issue(1, "warning")])
    assert not has_errors([])
