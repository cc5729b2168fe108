"""The Validate button in JupyterLab: JupyterLab keeps answering while it runs, then its dialog
shows the result, for every lesson's release and solution notebooks."""

from __future__ import annotations

import pytest

from .notebook import open_notebook
from .test_lessons_in_lab import LESSONS, notebook_path

ANSWER_LIMIT_S = 1.0  # the bound on the server's answers while Validate runs
DIALOG_TIMEOUT_MS = 300_000
OUTCOMES = {"source": "validation-success", "release": "validation-failed"}


def _window(response) -> tuple[float, float]:
    """(sent, answered) of a request, in seconds on the browser's clock."""
    response.finished()  # the timing's end is known once the body has arrived
    timing = response.request.timing
    return timing["startTime"] / 1000, (timing["startTime"] + timing["responseEnd"]) / 1000


def _while_validating(page, command: str, path: str) -> tuple[float, float]:
    """Run a JupyterLab command on *path*; return the window of the server's answer to it."""
    wanted = f"/api/contents/{path.rstrip('/')}"
    with page.expect_response(lambda r: r.url.split("?")[0].rstrip("/").endswith(wanted)
                              and r.request.method == "GET", timeout=60_000) as answer:
        page.evaluate("([c, p]) => { window.jupyterapp.commands.execute(c, {path: p}); }",
                      [command, path])
    assert answer.value.ok, f"{answer.value.url} answered {answer.value.status}"
    return _window(answer.value)


@pytest.mark.parametrize("kind", ["release", "source"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_lab_answers_while_validate_runs(page, lab, lesson, kind, timings):
    """While Validate runs, another notebook opens and a folder lists, each answered within a
    second; then the dialog shows the result: failures for the release, success for the
    solutions."""
    path = notebook_path(kind, lesson)
    other = notebook_path("source" if kind == "release" else "release", lesson)
    open_notebook(page, lab, path)
    button = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button")
    with page.expect_response(lambda r: "assignments/validate" in r.url,
                              timeout=DIALOG_TIMEOUT_MS) as validated:
        button.locator("jp-button, button").first.click()
        button.get_by_text("Validating...").wait_for(timeout=60_000)
        opened = _while_validating(page, "docmanager:open", other)
        listed = _while_validating(page, "filebrowser:go-to-path", other.rsplit("/", 1)[0])
    validation = _window(validated.value)
    result = page.locator(".jp-Dialog .validation-success, .jp-Dialog .validation-failed")
    result.first.wait_for(timeout=DIALOG_TIMEOUT_MS)
    outcome = result.first.get_attribute("class")
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    open_s, list_s = opened[1] - opened[0], listed[1] - listed[0]
    timings.append((f"{path}: Validate (meanwhile a notebook opened in {open_s * 1000:.0f} ms, "
                    f"a folder listed in {list_s * 1000:.0f} ms)", validation[1] - validation[0]))
    assert validation[0] < opened[0] and max(opened[1], listed[1]) < validation[1], (
        "the notebook and the folder were not both answered while Validate ran")
    assert open_s < ANSWER_LIMIT_S and list_s < ANSWER_LIMIT_S, (
        f"while Validate ran, opening {other} took {open_s:.2f} s and listing its folder "
        f"{list_s:.2f} s: JupyterLab must answer within {ANSWER_LIMIT_S:g} s")
    assert OUTCOMES[kind] in outcome, f"Validate on {path} showed {outcome}"
