"""nbgrader inside JupyterLab: the Validate button and the Nbgrader menu's panels."""

from __future__ import annotations

import pytest

from .notebook import open_notebook
from .test_lessons_in_lab import LESSONS, notebook_path


def validate(page) -> str:
    """Click Validate and return the result dialog's class: validation-success or -failed."""
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".validate-button jp-button, .validate-button button").first.click()
    result = page.locator(".jp-Dialog .validation-success, .jp-Dialog .validation-failed")
    result.first.wait_for(timeout=180_000)
    outcome = result.first.get_attribute("class")
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    return outcome


@pytest.mark.parametrize("lesson", LESSONS)
def test_validate_passes_the_solution_and_fails_the_stub(page, lab, lesson):
    """Validate reports success on the instructor's solution and failures on the student stub."""
    open_notebook(page, lab, notebook_path("source", lesson))
    assert "validation-success" in validate(page), "the solution notebook does not validate"
    open_notebook(page, lab, notebook_path("release", lesson))
    assert "validation-failed" in validate(page), "the untouched stub validated as passing"


def test_nbgrader_menu_opens_assignment_list_and_formgrader(page, lab):
    """The Nbgrader menu opens the Assignment List and the Formgrader for this course."""
    page.goto(lab.lab_url())
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    page.locator(".lm-TabBar-tabLabel", has_text="Assignments").first.wait_for()
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Formgrader", exact=True).click()
    page.locator(".lm-TabBar-tabLabel", has_text="Formgrader").first.wait_for()
    frame = page.frame_locator("iframe").last
    frame.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
    for lesson in LESSONS:
        frame.get_by_text(lesson).first.wait_for(timeout=60_000)
