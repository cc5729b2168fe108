"""The ways in: conda/Binder and pip list the same dependencies; CI, Makefile and README agree."""

from __future__ import annotations

import re

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from grading.harness import REPO

import tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((REPO / "environment.yml").read_text())
CONDA_ONLY = {"python", "pip"}  # conda needs them listed; pip gets them from the interpreter


def _conda_specs() -> dict[str, SpecifierSet]:
    """{name: version specifiers} of environment.yml's conda dependencies."""
    specs = {}
    for entry in ENVIRONMENT["dependencies"]:
        if isinstance(entry, str):
            name, spec = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", entry).groups()
            specs[name.lower()] = SpecifierSet(spec.replace(" ", ""))
    return specs


def _pip_section() -> list[str]:
    """The entries of environment.yml's pip section."""
    sections = [e["pip"] for e in ENVIRONMENT["dependencies"] if isinstance(e, dict)]
    return sections[0] if sections else []


def _commands(path) -> list[str]:
    """The command lines of a shell script, without comments, blanks and `set` options."""
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith(("#", "set "))]


class TestEnvironment:
    def test_conda_forge_only(self):
        """The environment builds from conda-forge alone."""
        assert ENVIRONMENT["channels"] == ["conda-forge"]

    def test_same_dependencies_as_pyproject(self):
        """environment.yml lists pyproject.toml's dependencies with the same version ranges."""
        wanted = {(r := Requirement(line)).name.lower(): r.specifier
                  for line in PYPROJECT["project"]["dependencies"]}
        listed = {n: s for n, s in _conda_specs().items() if n not in CONDA_ONLY}
        assert listed == wanted, (
            f"environment.yml and pyproject.toml disagree: conda has {listed}, pip has {wanted}")

    def test_same_python(self):
        """conda's python range is pyproject's requires-python."""
        assert _conda_specs()["python"] == SpecifierSet(PYPROJECT["project"]["requires-python"])

    def test_installs_the_course_package(self):
        """The pip section installs this repository's `course` package, editable."""
        assert "pip" in _conda_specs() and _pip_section() == ["-e ."]


class TestEntryPoints:
    def test_ci_runs_make_test_only(self):
        """.ci/run calls `make test` and nothing else."""
        assert _commands(REPO / ".ci" / "run") == ["make test"]

    @pytest.mark.parametrize("target", ["lab", "test", "release", "grade"])
    def test_makefile_targets(self, target):
        """The Makefile has the lab, test, release and grade targets."""
        assert re.search(rf"^{target}:", (REPO / "Makefile").read_text(), re.MULTILINE)

    @pytest.mark.parametrize("command", ["make lab", "make test"])
    def test_readme_names_the_two_commands(self, command):
        """README tells a newcomer the two commands."""
        assert f"`{command}`" in (REPO / "README.md").read_text()

    def test_readme_instructor_commands_exist(self):
        """Every `nbgrader <subcommand>` the README shows is a real nbgrader subcommand."""
        from nbgrader.apps import NbGraderApp

        code = re.findall(r"```.*?```|`[^`\n]+`", (REPO / "README.md").read_text(), re.DOTALL)
        lines = "\n".join(code).replace("`", "").splitlines()
        shown = {line.split()[1] for line in lines if line.strip().startswith("nbgrader ")}
        assert shown and shown <= set(NbGraderApp.subcommands), (
            f"unknown: {sorted(shown - set(NbGraderApp.subcommands))}")

    def test_gradebook_is_ignored(self):
        """The gradebook and grading output stay out of git."""
        ignored = set((REPO / ".gitignore").read_text().split())
        assert {"/gradebook.db", "/submitted/", "/feedback/", "/autograded/*"} <= ignored



GROUPED_PROJECT = {
    "conftest.py": '''
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "added" in item.name:
            item.add_marker(pytest.mark.xdist_group("added"))
''',
    "test_grouped.py": '''
import pytest

@pytest.mark.parametrize("i", range(4))
def test_added(i):
    pass

@pytest.mark.xdist_group("declared")
@pytest.mark.parametrize("i", range(4))
def test_declared(i):
    pass
''',
}


class TestWorkerGroups:
    def test_loadgroup_keeps_each_group_on_one_worker(self, tmp_path):
        """`make test` grades each assignment once because --dist loadgroup keeps its tests on one
        worker; some pytest / xdist pairs silently stop grouping (then every worker grades it)."""
        import subprocess
        import sys

        for name, text in GROUPED_PROJECT.items():
            (tmp_path / name).write_text(text)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", "-n", "2",
             "--dist", "loadgroup", str(tmp_path)],
            capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        workers: dict[str, set[str]] = {}
        for worker, test in re.findall(r"\[(gw\d+)\].*PASSED (\S+)", done.stdout):
            workers.setdefault(test.split("[")[0].rsplit("::", 1)[-1], set()).add(worker)
        assert set(workers) == {"test_added", "test_declared"}, done.stdout[-2000:]
        split = {test: sorted(ws) for test, ws in workers.items() if len(ws) > 1}
        assert not split, (f"--dist loadgroup split a group across workers: {split}. Check the "
                           "pytest / pytest-xdist versions pyproject.toml allows.")
