"""The nbgrader pipeline: every assignment's catalogue gets exactly the grades it must.

For each assignment of source/ (and the small fixture assignment under tests/fixtures/, which
proves the pipeline before any lesson exists), in a scratch copy of the course:
the source validates, the release stub scores 0, the solution scores full marks, and each
catalogued mistake loses exactly the points it declares. The harness lives in tests/pipeline/.
"""

from __future__ import annotations


import nbformat
import pytest
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, Execute

from assignments import DEFAULT, FIXTURE, LESSONS, kernel_cases, kernel_entries
from grading.harness import (SOLUTION, STUB, MistakeFormatError, build_submission,
                             expected_scores, load_config, make_course, parse_mistake,
                             read_notebooks, run_nbgrader, solution_cells, solution_text)

by_kernel = pytest.mark.parametrize("kernel, case", kernel_cases())
DOCTOR_FREE_THREADED = ("| **Build** | free-threaded |", "| **GIL** | disabled")


def _report(run, student: str) -> str:
    """Every notebook's score and per-cell scores for one student, for failure messages."""
    notebooks = run.scores.get(student)
    if notebooks is None:
        return f"{student} has no grades (nbgrader could not grade the submission)"
    lines = [f"  {name}: {score}" for name, score in notebooks.items()]
    return "\n".join(lines + [f"  (graded in {run.course_dir}/autograded/{student})"])


def _max_scores(run) -> dict[str, float]:
    """The maximum score of each notebook, from the solution's grades."""
    return {name: score.max_score for name, score in run.scores[SOLUTION].items()}


def _scores(run, student: str) -> dict[str, float]:
    """The score of each notebook of one student."""
    return {name: score.score for name, score in run.scores.get(student, {}).items()}


# The first test of an assignment runs its whole pipeline: every catalogued submission executes
# the lesson's exercises, so allow more than the default per-test limit.
@pytest.mark.pipeline
@pytest.mark.timeout(1800)
class TestPipeline:
    @by_kernel
    def test_source_validates(self, kernel, case, pipeline_runs):
        """`nbgrader validate` passes on the source notebooks, solutions included."""
        if kernel != DEFAULT:
            pytest.skip("validate runs the default kernel; the source runs on this one in "
                        "tests/test_freethreaded_kernel.py")
        run = pipeline_runs(kernel, case)
        assert not run.validation, "\n\n".join(f"{case.name}/{nb} does not validate:\n{text}"
                                                for nb, text in run.validation.items())

    @by_kernel
    def test_solution_gets_full_marks(self, kernel, case, pipeline_runs):
        """The source's solutions typed into the release score every point."""
        run = pipeline_runs(kernel, case)
        assert SOLUTION in run.scores, _report(run, SOLUTION)
        assert _scores(run, SOLUTION) == expected_scores(_max_scores(run)), (
            f"{case.name} on {kernel}: the solution should get full marks; it got\n"
            f"{_report(run, SOLUTION)}")

    @by_kernel
    def test_release_stub_scores_zero(self, kernel, case, pipeline_runs):
        """The untouched release scores 0 in every notebook."""
        run = pipeline_runs(kernel, case)
        zero = {name: 0 for name in _max_scores(run)}
        assert _scores(run, STUB) == zero, (
            f"{case.name} on {kernel}: the untouched release should score 0; it got\n"
            f"{_report(run, STUB)}")

    @pytest.mark.parametrize("kernel, case, path", kernel_entries())
    def test_entry_loses_its_points(self, kernel, case, path, pipeline_runs):
        """A catalogue entry loses exactly the points it declares (0 for a correct alternative)."""
        run = pipeline_runs(kernel, case)
        student = f"mistake-{path.stem}"
        assert path.stem not in run.broken, run.broken.get(path.stem)
        assert student in run.mistakes, f"{path} was not graded: was it added during the run?"
        mistake = run.mistakes[student]
        expected = expected_scores(_max_scores(run), mistake)
        assert _scores(run, student) == expected, (
            f"{case.name} on {kernel}: {path.name} ({mistake.description.splitlines()[0]}) must "
            f"lose exactly {mistake.loses:g} point(s) in {mistake.notebook}, scoring {expected};"
            f" it got\n{_report(run, student)}")

    @by_kernel
    def test_graded_on_that_kernel(self, kernel, case, pipeline_runs):
        """Every notebook graded on the free-threaded kernel shows that build's doctor table."""
        if kernel == DEFAULT or case == FIXTURE:
            pytest.skip("only the free-threaded kernel's lessons are checked for their build")
        run = pipeline_runs(kernel, case)
        wrong = []
        for student in run.scores:
            folder = run.course_dir / "autograded" / student / case.name
            for path in sorted(folder.glob("*.ipynb")):
                text = _outputs(nbformat.read(path, as_version=4))
                if not all(marker in text for marker in DOCTOR_FREE_THREADED):
                    wrong.append(str(path.relative_to(run.course_dir)))
        assert run.scores and not wrong, (
            f"{case.name}: these notebooks were not graded on {kernel} (their doctor table "
            f"lacks {DOCTOR_FREE_THREADED}): {wrong or 'no autograded notebooks'}")

    @pytest.mark.parametrize("case", LESSONS + [FIXTURE], ids=lambda case: case.name)
    def test_every_exercise_has_entries(self, case):
        """Each solution cell is rewritten by a catalogued mistake and by two correct
        alternatives (LOSES = 0)."""
        source = read_notebooks(case.source)
        entries = [parse_mistake(path) for path in case.mistake_files()]
        wrong = {grade_id for e in entries if e.loses > 0 for grade_id in e.cells}
        right: dict[str, int] = {}
        for entry in (e for e in entries if e.loses == 0):
            for grade_id in entry.cells:
                right[grade_id] = right.get(grade_id, 0) + 1
        needed = 0 if case == FIXTURE else 2  # the fixture proves the harness, not a lesson
        missing = [f"{nb}: {grade_id} ({_lacks(grade_id in wrong, right.get(grade_id, 0), needed)})"
                   for nb, notebook in source.items() for grade_id in solution_cells(notebook)
                   if grade_id not in wrong or right.get(grade_id, 0) < needed]
        assert not missing, (f"{case.name}: these solution cells lack catalogue entries in "
                             f"{case.mistakes_root / case.name}: {'; '.join(missing)}")

    def test_feedback_hides_hidden_tests(self, pipeline_runs):
        """Feedback shows visible tests but no hidden test code, not even in tracebacks."""
        run = pipeline_runs(DEFAULT, FIXTURE)
        run_nbgrader(run.course_dir, "generate_feedback", FIXTURE.name, "--force")
        for student in run.scores:
            path = run.course_dir / "feedback" / student / FIXTURE.name / "fixture.html"
            html = path.read_text()
            assert "square(3) should be 9" in html, f"{path} lost the visible tests"
            leaks = [text for text in ("HIDDEN TESTS", "square({x}) should be", "idents = ")
                     if text in html]
            assert not leaks, f"{path} shows hidden test code: {leaks}"


def _lacks(has_mistake: bool, alternatives: int, needed: int) -> str:
    """What a solution cell's catalogue lacks, in words."""
    parts = [] if has_mistake else ["no mistake"]
    if alternatives < needed:
        parts.append(f"{alternatives} of {needed} correct alternatives")
    return ", ".join(parts)


def _outputs(nb) -> str:
    """All text and Markdown a notebook's cells output, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items()
                         if k in ("text/markdown", "text/plain"))
    return "\n".join(parts)


class TestConfig:
    def test_course_root_is_the_config_directory(self, tmp_path):
        """A copy of nbgrader_config.py makes its own directory the course root."""
        course = make_course(tmp_path, FIXTURE.source_root, [])
        coursedir = CourseDirectory(config=load_config(course))
        assert (coursedir.root, coursedir.course_id) == (str(course), "python-concurrency-lab")
        assert coursedir.db_url == f"sqlite:///{course / 'gradebook.db'}"

    def test_execution_limits(self):
        """Cells time out and get interrupted; slow output is waited for, not fatal."""
        execute = Execute(config=load_config())
        assert (execute.timeout, execute.interrupt_on_timeout) == (30, True)
        assert (execute.iopub_timeout, execute.raise_on_iopub_timeout) == (20, False)

    def test_feedback_clears_hidden_tests(self):
        """GenerateFeedback cuts hidden tests' tracebacks, then clears the hidden tests."""
        names = [pp.__name__ for pp in GenerateFeedback(config=load_config()).preprocessors]
        assert names.index("ClearHiddenTracebacks") < names.index(ClearHiddenTests.__name__)

    def test_release_stub_raises(self):
        """Release stubs raise NotImplementedError."""
        stub = ClearSolutions(config=load_config()).code_stub["python"]
        assert stub.splitlines()[-1] == "raise NotImplementedError()"


class TestSolutionText:
    def test_drops_only_the_delimiter_lines(self):
        """The answer is the source without its BEGIN/END SOLUTION lines, indentation kept."""
        source = ("def f():\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return 1\n"
                  "    ### END SOLUTION")
        assert solution_text(source) == "def f():\n    '''Doc.'''\n    return 1"

    def test_whole_cell_solution(self):
        """A solution cell without a region is its own answer."""
        assert solution_text("x = 1") == "x = 1"

    def test_matches_what_nbgrader_clears(self):
        """Clearing the fixture's solutions leaves exactly the answers' non-solution lines."""
        source = nbformat.read(FIXTURE.source / "fixture.ipynb", as_version=4)
        answers = solution_cells(source)
        assert set(answers) == {"square", "run_in_threads"}
        assert "### BEGIN SOLUTION" not in answers["square"]
        assert answers["square"].endswith("    return x * x")


class TestBuildSubmission:
    def _release(self):
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("def f():\n    raise NotImplementedError()", metadata={
                "nbgrader": {"solution": True, "grade": False, "grade_id": "f",
                             "locked": False, "schema_version": 3}}),
            nbformat.v4.new_code_cell("assert f() == 1", metadata={
                "nbgrader": {"solution": False, "grade": True, "grade_id": "f_test",
                             "locked": True, "points": 1, "schema_version": 3}}),
        ])
        return nb

    def test_replaces_solution_cells_only(self):
        """Only the named solution cell changes; the release is left as it was."""
        release = self._release()
        built = build_submission(release, {"f": "def f():\n    return 1"})
        assert [c.source for c in built.cells] == ["def f():\n    return 1", "assert f() == 1"]
        assert release.cells[0].source.endswith("raise NotImplementedError()")

    @pytest.mark.parametrize("grade_id", ["f_test", "nope"])
    def test_unknown_grade_id(self, grade_id):
        """Naming a cell that is not a solution cell fails and lists the solution cells."""
        with pytest.raises(KeyError, match=f"no solution cell with grade_id '{grade_id}' "
                                           r"\(solution cells: f\)"):
            build_submission(self._release(), {grade_id: "x"})


class TestParseMistake:
    def test_fixture_mistake(self):
        """A catalogue file gives its description, points and replacement cells."""
        mistake = parse_mistake(FIXTURE.mistakes_root / "fixture" / "square_adds.py")
        assert (mistake.student, mistake.loses, mistake.notebook) == (
            "mistake-square_adds", 2, None)
        assert mistake.description.startswith("Adds instead of multiplying")
        assert mistake.cells == {"square": 'def square(x):\n    """Return x multiplied by '
                                           'itself."""\n    return x + x'}

    def test_broken_code_is_read_not_run(self, tmp_path):
        """Blocks may be invalid Python; NOTEBOOK picks the notebook; blocks split cleanly."""
        path = tmp_path / "typo.py"
        path.write_text('"""Typo."""\nLOSES = 1.5\nNOTEBOOK = "b.ipynb"\n\n'
                        "# %% grade_id: a\ndef a(:\n\n# %% grade_id: b\nb = 1\n")
        mistake = parse_mistake(path)
        assert (mistake.loses, mistake.notebook) == (1.5, "b.ipynb")
        assert mistake.cells == {"a": "def a(:", "b": "b = 1"}

    @pytest.mark.parametrize("text, message", [
        ('LOSES = 1\n# %% grade_id: a\nx\n', "a docstring saying what the mistake is"),
        ('"""D."""\n# %% grade_id: a\nx\n', r"LOSES must be a number >= 0, .* \(got None\)"),
        ('"""D."""\nLOSES = "3"\n# %% grade_id: a\nx\n',
         r"LOSES must be a number >= 0, .* \(got '3'\)"),
        ('"""D."""\nLOSES = 1\n', "no '# %% grade_id: <id>' block"),
        ('"""D."""\nLOSES = 1\nimport os\n# %% grade_id: a\nx\n', "header may only set"),
        ('"""D."""\nLOSES = 1\n# %% grade_id: a\nx\n# %% grade_id: a\ny\n', "appears twice"),
        ('"""D."""\nLOSES = 1\nNOTEBOOK = "a.py"\n# %% grade_id: a\nx\n', "must name a .ipynb"),
    ])
    def test_format_errors(self, tmp_path, text, message):
        """A file off the format fails with the rule it breaks and the file's name."""
        path = tmp_path / "bad.py"
        path.write_text(text)
        with pytest.raises(MistakeFormatError, match=message) as info:
            parse_mistake(path)
        assert str(path) in str(info.value)
