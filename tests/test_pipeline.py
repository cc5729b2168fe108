"""The nbgrader pipeline: every assignment's catalogue gets exactly the grades it must.

For each assignment of source/ (and the small fixture assignment under tests/fixtures/, which
proves the pipeline before any lesson exists), in a scratch copy of the course:
the source validates, the release stub scores 0, the solution scores full marks, and each
catalogued mistake loses exactly the points it declares. The harness lives in tests/pipeline/.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, Execute

from grading.harness import (REPO, SOLUTION, STUB, Assignment, MistakeFormatError, NbgraderError,
                             build_submission, expected_scores, list_assignments, load_config,
                             make_course, parse_mistake, run_nbgrader, run_pipeline, solution_cells,
                             solution_text)
from grading.harness.validation import compare_with_autograde

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = Assignment("fixture", FIXTURES / "source", FIXTURES / "mistakes")
CASES = [FIXTURE] + [Assignment(name, REPO / "source", REPO / "tests" / "mistakes")
                     for name in list_assignments(REPO / "source")]
MISTAKES = [pytest.param(case, path, id=f"{case.name}/{path.stem}")
            for case in CASES for path in case.mistake_files()]
by_name = pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)


@pytest.fixture(scope="session")
def pipeline_runs(request, tmp_path_factory, timings):
    """Run the pipeline once per assignment, on first use; return the run (or re-raise)."""
    runs: dict[str, object] = {}

    def get(case: Assignment):
        if case.name not in runs:
            runs[case.name] = _run(case)
        if isinstance(runs[case.name], Exception):
            pytest.fail(f"{case.name}: {runs[case.name]}", pytrace=False)
        return runs[case.name]

    def _run(case: Assignment):
        if case == FIXTURE:
            course = make_course(tmp_path_factory.mktemp("fixture") / "course",
                                 case.source_root, [case.name])
        else:  # the shared course, whose release/ was generated once for every assignment
            course = request.getfixturevalue("generated_course")
        try:
            run = run_pipeline(case, course, generate=case == FIXTURE)
        except NbgraderError as error:
            return error
        graded = len(run.scores)
        timings.extend((f"{case.name}: {step}" + (f" ({graded} submissions)"
                                                   if step == "autograde" else ""), seconds)
                       for step, seconds in run.timings.items())
        return run

    return get


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
# the lesson notebook, so allow more than the default per-test limit.
@pytest.mark.pipeline
@pytest.mark.timeout(1800)
class TestPipeline:
    @by_name
    def test_source_validates(self, case, pipeline_runs):
        """`nbgrader validate` passes on the source notebooks, solutions included."""
        run = pipeline_runs(case)
        assert not run.validation, "\n\n".join(f"{case.name}/{nb} does not validate:\n{text}"
                                                for nb, text in run.validation.items())

    @by_name
    def test_solution_gets_full_marks(self, case, pipeline_runs):
        """The source's solutions typed into the release score every point."""
        run = pipeline_runs(case)
        assert SOLUTION in run.scores, _report(run, SOLUTION)
        assert _scores(run, SOLUTION) == expected_scores(_max_scores(run)), (
            f"{case.name}: the solution should get full marks; it got\n{_report(run, SOLUTION)}")

    @by_name
    def test_release_stub_scores_zero(self, case, pipeline_runs):
        """The untouched release scores 0 in every notebook."""
        run = pipeline_runs(case)
        zero = {name: 0 for name in _max_scores(run)}
        assert _scores(run, STUB) == zero, (
            f"{case.name}: the untouched release should score 0; it got\n{_report(run, STUB)}")

    @pytest.mark.parametrize("case, path", MISTAKES)
    def test_mistake_loses_its_points(self, case, path, pipeline_runs):
        """A catalogued mistake loses exactly the points it declares, no more, no fewer."""
        run = pipeline_runs(case)
        student = f"mistake-{path.stem}"
        assert path.stem not in run.broken, run.broken.get(path.stem)
        assert student in run.mistakes, f"{path} was not graded: was it added during the run?"
        mistake = run.mistakes[student]
        expected = expected_scores(_max_scores(run), mistake)
        assert _scores(run, student) == expected, (
            f"{case.name}: mistake {path.name} ({mistake.description.splitlines()[0]}) must "
            f"lose exactly {mistake.loses:g} point(s) in {mistake.notebook}, scoring {expected}; "
            f"it got\n{_report(run, student)}")

    @by_name
    def test_every_solution_cell_has_a_mistake(self, case, pipeline_runs):
        """Each solution cell is rewritten by at least one catalogued mistake."""
        run = pipeline_runs(case)
        covered = {(m.notebook, grade_id) for m in run.mistakes.values() for grade_id in m.cells}
        missing = [f"{nb}: {grade_id}" for nb, ids in run.solution_ids.items()
                   for grade_id in ids if (nb, grade_id) not in covered]
        assert not missing, (f"{case.name}: no mistake in {case.mistakes_root / case.name} "
                             f"rewrites these solution cells: {', '.join(missing)}")

    @by_name
    def test_validate_agrees_with_autograde(self, case, pipeline_runs, timings):
        """Validate gives every visible test of every catalogued submission autograde's verdict."""
        run = pipeline_runs(case)
        started = time.perf_counter()
        mismatches = compare_with_autograde(run)
        timings.append((f"{case.name}: Validate ({len(run.scores)} submissions, 2 at a time)",
                        time.perf_counter() - started))
        assert not mismatches, (f"{case.name}: Validate and autograde disagree on visible "
                                "tests:\n" + "\n".join(mismatches))

    def test_feedback_hides_hidden_tests(self, pipeline_runs):
        """Feedback shows visible tests but no hidden test code, not even in tracebacks."""
        run = pipeline_runs(FIXTURE)
        run_nbgrader(run.course_dir, "generate_feedback", FIXTURE.name, "--force")
        for student in run.scores:
            path = run.course_dir / "feedback" / student / FIXTURE.name / "fixture.html"
            html = path.read_text()
            assert "square(3) should be 9" in html, f"{path} lost the visible tests"
            leaks = [text for text in ("HIDDEN TESTS", "square({x}) should be", "idents = ")
                     if text in html]
            assert not leaks, f"{path} shows hidden test code: {leaks}"


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
