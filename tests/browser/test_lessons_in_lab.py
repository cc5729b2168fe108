"""Every lesson, opened in JupyterLab in a real browser, as students and instructors use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .notebook import open_notebook, run_all, unrun_cells

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (REPO / "source").glob("[0-9]*") if p.is_dir())

# Everything inside one widget box: the images it shows and the text around them.
_BOX_STATE_JS = """(box) => [
  [...box.querySelectorAll('.widget-output img')].map(i => i.src).join('|'),
  [...box.querySelectorAll('.widget-label, .widget-html, .widget-output pre, '
                           + '.widget-output .jp-RenderedMarkdown')]
    .map(e => e.textContent).join('|')]"""
_CHANGED_JS = """([box, before]) => {
  const imgs = [...box.querySelectorAll('.widget-output img')].map(i => i.src).join('|');
  return imgs !== '' && imgs !== before;
}"""


def notebook_path(kind: str, lesson: str) -> str:
    """The lesson's notebook under release/ or source/, relative to the course root."""
    notebooks = sorted((REPO / kind / lesson).glob("*.ipynb"))
    assert len(notebooks) == 1, f"expected one notebook in {kind}/{lesson}, found {notebooks}"
    return f"{kind}/{lesson}/{notebooks[0].name}"


def widget_boxes(page):
    """Top-level widget boxes that hold a slider and an output."""
    return page.locator(".jp-OutputArea-output > .widget-box, .jp-OutputArea-output .widget-vbox"
                        ).filter(has=page.locator(".widget-slider")).filter(
                            has=page.locator(".widget-output"))


@pytest.mark.parametrize("lesson", LESSONS)
def test_release_runs_with_only_exercise_stubs_failing(page, lab, lesson):
    """The student version runs top to bottom; its only errors are the exercises' stubs."""
    open_notebook(page, lab, notebook_path("release", lesson))
    errors = run_all(page)
    assert unrun_cells(page) == [], "some cells never ran"
    unexpected = [e for e in errors if e[1] != "NotImplementedError"]
    assert errors, "the release notebook raised nothing: are the exercises stubbed?"
    assert not unexpected, f"errors other than NotImplementedError: {unexpected}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_source_runs_clean_and_sliders_redraw(page, lab, lesson):
    """The instructor version runs clean; each slider, moved by key or typed value, redraws."""
    open_notebook(page, lab, notebook_path("source", lesson))
    errors = run_all(page)
    assert errors == [], f"the source notebook raised: {errors}"
    boxes = widget_boxes(page)
    assert boxes.count() >= 1, "no widget with a slider and a chart rendered"
    for b in range(boxes.count()):
        box = boxes.nth(b)
        box.scroll_into_view_if_needed()
        sliders = box.locator(".widget-slider")
        for s in range(sliders.count()):
            _move_by_key(page, box, sliders.nth(s))
            _type_into_readout(page, box, sliders.nth(s))


def _redraw_after(page, box, action) -> None:
    images, text = box.evaluate(_BOX_STATE_JS)
    action()
    handle = box.element_handle()
    page.wait_for_function(_CHANGED_JS, arg=[handle, images], timeout=90_000)
    page.wait_for_function("([box, t]) => [...box.querySelectorAll('.widget-label, .widget-html, "
                           ".widget-output pre, .widget-output .jp-RenderedMarkdown')]"
                           ".map(e => e.textContent).join('|') !== t", arg=[handle, text],
                           timeout=30_000)


def _move_by_key(page, box, slider) -> None:
    handle = slider.locator(".noUi-handle").first
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    _redraw_after(page, box, lambda: page.keyboard.press("ArrowLeft" if at_max else "ArrowRight"))


def _type_into_readout(page, box, slider) -> None:
    readout = slider.locator(".widget-readout").first
    if readout.get_attribute("contenteditable") != "true":
        return  # selection sliders show a label, not an editable number
    handle = slider.locator(".noUi-handle").first
    low = float(handle.get_attribute("aria-valuemin"))
    high = float(handle.get_attribute("aria-valuemax"))
    now = float(handle.get_attribute("aria-valuenow"))
    try:
        shown = float(readout.inner_text().strip())
    except ValueError:
        shown = None
    if shown is None or abs(shown - now) > 1e-9 * max(1.0, abs(now)):
        return  # a selection slider: its position is an index, its readout a label
    target = low if now != low else high
    text = str(int(target)) if target == int(target) else str(target)

    def type_value():
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.keyboard.press("Enter")

    _redraw_after(page, box, type_value)
