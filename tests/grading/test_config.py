"""Tests for nbgrader_config.py: nbgrader runs the grading package's preprocessors."""

from __future__ import annotations

from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute

from grading.execute import GuardedExecute
from grading.harness import load_config
from grading.lesson_cells import SkipLessonCells
from grading.sanitize import RestoreCells


class TestConfig:
    def test_nbgrader_uses_the_extensions(self):
        """autograde sanitizes with RestoreCells and executes with GuardedExecute; export
        annotates problems."""
        config = load_config()
        autograde = Autograde(config=config)
        assert RestoreCells in autograde.sanitize_preprocessors
        assert GuardedExecute in autograde.autograde_preprocessors
        assert Execute not in autograde.autograde_preprocessors
        assert config.OverwriteCells.add_missing_cells is True
        assert config.ExportApp.plugin_class.__name__ == "ProblemsCsvExport"

    def test_limits(self):
        """Solution cells get 10 s, other cells Execute's 30 s; a deaf cell 5 s of grace."""
        guarded = GuardedExecute(config=load_config())
        assert (guarded.timeout, guarded.solution_timeout, guarded.interrupt_grace) == (30, 10, 5)

    def test_lesson_cell_rule_runs_before_execution(self):
        """The lesson-cell rule tags cells before GuardedExecute runs them."""
        order = Autograde(config=load_config()).autograde_preprocessors
        assert order.index(SkipLessonCells) < order.index(GuardedExecute)

    def test_loading_creates_no_exchange(self, tmp_path, monkeypatch):
        """Loading the config reads the exchange from NBGRADER_EXCHANGE and creates nothing."""
        monkeypatch.setenv("NBGRADER_EXCHANGE", str(tmp_path / "exchange"))
        assert load_config().Exchange.root == str(tmp_path / "exchange")
        assert not (tmp_path / "exchange").exists()
