"""Which cells grading runs: the student's work, and exactly the lesson cells it needs.

A lesson notebook is mostly teaching: measurements, charts, widgets, self-checks. Running all of
it for every submission costs the whole lesson's run time (10-20 s) and its timing noise, yet
skipping lesson cells blindly loses names a student may rely on (a ``ThreadPoolExecutor`` a lesson
cell imported, a helper it defined). The rule, the same for every lesson, for autograde and
for Validate:

1. Always run: every nbgrader cell other than locked lesson cells (solutions, tests), and every
   code cell a student added or changed (its source differs from every lesson cell of the
   instructor's notebook).
2. Run an unchanged lesson cell (a plain code cell, or a locked one such as the setup cell) when
   it binds a name that a later running cell needs, where "needs" is found statically from the
   cell's code: names read before the cell binds them itself, and global names its functions
   and classes read. This is applied backwards through the notebook, so what a needed lesson
   cell needs runs too.
3. A student cell that reaches names dynamically (``globals()``, ``eval``, ``exec``, ``vars``,
   ``get_ipython``, ``locals``, ``dir``) runs every lesson cell above it; a lesson cell with a
   ``from ... import *`` always runs.
4. Every other lesson cell is skipped (tagged ``skip-execution``, which nbclient honours).

What a student may rely on, then: every name the notebook binds above their code, exactly as after
*Restart and Run All*; what they may not: side effects of lesson cells that bind nothing they use
(a lesson cell that changed ``sys.setswitchinterval`` and restored it, output it printed).
"""

from __future__ import annotations

import ast
import hashlib
import os
import symtable
from dataclasses import dataclass, field

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

__all__ = ["SKIP_TAG", "CellNames", "names_of", "plan", "SkipLessonCells", "lesson_cell_digests"]

SKIP_TAG = "skip-execution"  # nbclient's default NotebookClient.skip_cells_with_tag
DYNAMIC = frozenset({"globals", "locals", "vars", "eval", "exec", "get_ipython", "dir"})


@dataclass(frozen=True)
class CellNames:
    """What one code cell binds at the notebook's top level and what it needs from above."""

    binds: frozenset = field(default_factory=frozenset)
    needs: frozenset = field(default_factory=frozenset)
    star: bool = False  # a star import binds names nobody can list
    dynamic: bool = False  # reads names it does not spell (globals(), eval, ...)


def _python(source: str) -> str:
    """The cell as plain Python: IPython's magics and shell escapes become ordinary calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def names_of(source: str) -> CellNames:
    """Read a cell's top-level bindings and the names it needs from earlier cells.

    A cell that does not parse binds and needs nothing (it fails wherever it runs).
    """
    try:
        code = _python(source)
        tree = ast.parse(code)
        table = symtable.symtable(code, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return CellNames()
    binds = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    binds |= _declared_global(table)
    needs = _read_before_bound(tree) | (_read_by_nested(table) - binds)
    star = any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
               for node in ast.walk(tree))
    dynamic = any(isinstance(node, ast.Name) and node.id in DYNAMIC for node in ast.walk(tree))
    return CellNames(frozenset(binds), frozenset(needs), star, dynamic)


def _declared_global(table) -> set[str]:
    """Names functions of the cell declare ``global`` and assign: calling them binds those."""
    found = set()
    for child in table.get_children():
        found |= {s.get_name() for s in child.get_symbols()
                  if s.is_declared_global() and s.is_assigned()}
        found |= _declared_global(child)
    return found


def _read_by_nested(table) -> set[str]:
    """Global names read inside the cell's functions, classes, lambdas and comprehensions."""
    found = set()
    for child in table.get_children():
        found |= {s.get_name() for s in child.get_symbols()
                  if (s.is_global() or s.is_declared_global()) and s.is_referenced()}
        found |= _read_by_nested(child)
    return found


def _read_before_bound(tree: ast.Module) -> set[str]:
    """Names the cell's top-level code reads before the cell itself has bound them.

    Statements are followed in the order they run: a loop's iterable before its target, a
    ``with`` item before its ``as`` name, an assignment's value before its targets.
    """
    bound: set[str] = set()
    needed: set[str] = set()

    def expr(node) -> None:
        loads, stores = _top_level_names(node)
        needed.update(loads - bound)
        bound.update(stores)

    def block(statements) -> None:
        for node in statements:
            statement(node)

    def statement(node) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            expr(node.iter), expr(node.target), block(node.body), block(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr(item.context_expr)
                if item.optional_vars is not None:
                    expr(item.optional_vars)
            block(node.body)
        elif isinstance(node, (ast.If, ast.While)):
            expr(node.test), block(node.body), block(node.orelse)
        elif isinstance(node, ast.Try):
            block(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    expr(handler.type)
                if handler.name:
                    bound.add(handler.name)
                block(handler.body)
            block(node.orelse), block(node.finalbody)
        elif isinstance(node, ast.Assign):
            expr(node.value)
            for target in node.targets:
                expr(target)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            expr(node.value), expr(node.target)
        else:  # AugAssign reads its target first, as its Load context says
            expr(node)

    block(tree.body)
    return needed


def _top_level_names(statement: ast.stmt) -> tuple[set[str], set[str]]:
    """(names read, names bound) by a statement at the cell's top level, nested scopes aside."""
    loads, stores = set(), set()
    pending = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else stores).add(node.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            loads.add(node.target.id)  # x += 1 reads x first
            stores.add(node.target.id)
            pending.append(node.value)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stores |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores.add(node.name)
            pending += _evaluated_at_definition(node)
        elif isinstance(node, ast.Lambda):
            pending += node.args.defaults + [d for d in node.args.kw_defaults if d]
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            pending.append(node.generators[0].iter)  # the rest is a scope of its own
        else:
            pending += list(ast.iter_child_nodes(node))
    return loads, stores


def _evaluated_at_definition(node) -> list[ast.AST]:
    """The parts of a def or class that run when it is defined: decorators, defaults, bases."""
    parts = list(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        return parts + node.bases + [k.value for k in node.keywords]
    return parts + node.args.defaults + [d for d in node.args.kw_defaults if d]


# --- the rule --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """A code cell as the rule sees it."""

    names: CellNames
    lesson: bool  # an unchanged lesson cell: skippable
    student: bool  # written by the student (a solution, or a cell they added or changed)


def plan(cells: list[Cell]) -> list[bool]:
    """Decide, per code cell in notebook order, whether it runs (True) or is skipped.

    Walks backwards, keeping the names that running cells below still need from above.
    """
    runs = [not cell.lesson for cell in cells]
    needed: set[str] = set()
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell.lesson and (cell.names.star or cell.names.binds & needed):
            runs[index] = True
        if runs[index]:
            needed |= cell.names.needs
            if cell.student and cell.names.dynamic:
                runs[:index] = [True] * index
                needed |= {n for c in cells[:index] for n in c.names.needs}
    return runs


def _digest(source: str) -> str:
    return hashlib.sha256(source.strip().encode()).hexdigest()


def _nbgrader(cell) -> dict:
    meta = cell.metadata.get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_lesson_cell(cell) -> bool:
    """A code cell of the lesson itself: plain, or locked without points (the setup cell)."""
    meta = _nbgrader(cell)
    if meta.get("solution") or meta.get("grade") or meta.get("task"):
        return False
    return cell.cell_type == "code"


def lesson_cell_digests(notebook) -> set[str]:
    """Digests of the lesson code cells of an instructor's notebook."""
    return {_digest(cell.source) for cell in notebook.cells
            if is_lesson_cell(cell) and cell.source.strip()}


def cells_to_skip(nb, source_digests: set[str]) -> list[int]:
    """Indexes of the code cells of *nb* that grading skips, by the rule above.

    Args:
        nb: the submitted notebook (after sanitizing: locked cells are the instructor's).
        source_digests: :func:`lesson_cell_digests` of the instructor's notebook.
    """
    indexes = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    cells = []
    for i in indexes:
        cell = nb.cells[i]
        lesson = is_lesson_cell(cell) and (
            bool(_nbgrader(cell).get("locked")) or _digest(cell.source) in source_digests)
        student = not lesson and not _nbgrader(cell).get("grade")
        cells.append(Cell(names_of(cell.source), lesson, student))
    return [i for i, runs in zip(indexes, plan(cells)) if not runs]


class SkipLessonCells(NbGraderPreprocessor):
    """Tag the lesson cells no running cell needs, so nbgrader's Execute skips them."""

    enabled = Bool(True, help="Skip lesson cells that grading does not need.").tag(config=True)
    skip_tag = Unicode(SKIP_TAG, help="The tag nbclient skips.").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        digests = self._source_digests(resources)
        if digests is None:
            return nb, resources
        skipped = cells_to_skip(nb, digests)
        for index in skipped:
            tags = nb.cells[index].metadata.setdefault("tags", [])
            if self.skip_tag not in tags:
                tags.append(self.skip_tag)
        self.log.info("Skipping %d lesson cells no graded cell needs", len(skipped))
        return nb, resources

    def _source_digests(self, resources) -> set[str] | None:
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = os.path.join(coursedir.format_path(coursedir.source_directory, ".",
                                                  info.get("assignment", "")),
                            f"{info.get('notebook', '')}.ipynb")
        if not os.path.exists(path):
            self.log.warning("No source notebook at %s: running every cell", path)
            return None
        return lesson_cell_digests(nbformat.read(path, as_version=4))
