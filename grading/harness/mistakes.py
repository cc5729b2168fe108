"""Read catalogued mistakes: files of wrong solution cells with the points each must lose.

The format (see tests/mistakes/README.md)::

    \"\"\"Forgets join: the function returns while the threads still print.\"\"\"
    LOSES = 3  # points this mistake must lose (exactly); 0 for a correct alternative
    NOTEBOOK = "lesson.ipynb"  # only when the assignment has several notebooks

    # %% grade_id: print_numbers_and_letters
    def print_numbers_and_letters():
        ...

The file is read as text, never imported: the code blocks may be broken on purpose. Only the
header (everything before the first block) must be valid Python.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

BLOCK_MARKER = re.compile(r"^# %% grade_id:\s*(?P<grade_id>\S+)\s*$")


class MistakeFormatError(ValueError):
    """A mistake file does not follow the catalogue format."""


@dataclass(frozen=True)
class Mistake:
    """One catalogued wrong answer.

    Attributes:
        name: the file name without .py, e.g. "forgets_join".
        path: the file.
        description: the docstring, saying what the student got wrong.
        loses: the points the submission must lose, exactly (0: a correct alternative answer).
        cells: replacement source per solution-cell grade_id.
        notebook: the notebook the cells belong to, or None for the assignment's only notebook.
    """

    name: str
    path: Path
    description: str
    loses: float
    cells: dict[str, str] = field(default_factory=dict)
    notebook: str | None = None

    @property
    def student(self) -> str:
        """The student id this mistake is graded under."""
        return f"mistake-{self.name}"


def parse_mistake(path: Path | str) -> Mistake:
    """Read one mistake file.

    Args:
        path: a .py file in the catalogue format.

    Returns:
        The parsed Mistake.

    Raises:
        MistakeFormatError: the header is not valid Python, lacks a docstring or LOSES, or there
            is no `# %% grade_id: <id>` block, or a grade_id appears twice.
    """
    path = Path(path)
    header, cells = _split_blocks(path)
    values = _read_header(path, header)
    return Mistake(name=path.stem, path=path, description=values["description"],
                   loses=values["loses"], cells=cells, notebook=values["notebook"])


def load_mistakes(directory: Path | str) -> list[Mistake]:
    """Read every *.py mistake file of a directory, sorted by name (none if it is missing)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return [parse_mistake(path) for path in sorted(directory.glob("*.py"))]


def _split_blocks(path: Path) -> tuple[str, dict[str, str]]:
    """Split a file into its header text and {grade_id: block source}."""
    header: list[str] = []
    blocks: dict[str, list[str]] = {}
    current = header
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = BLOCK_MARKER.match(line)
        if match is None:
            current.append(line)
            continue
        grade_id = match["grade_id"]
        if grade_id in blocks:
            raise MistakeFormatError(f"{path}:{number}: grade_id {grade_id!r} appears twice")
        current = blocks[grade_id] = []
    if not blocks:
        raise MistakeFormatError(f"{path}: no '# %% grade_id: <id>' block")
    return "\n".join(header), {gid: _trim(lines) for gid, lines in blocks.items()}


def _trim(lines: list[str]) -> str:
    """Join lines, dropping blank lines at both ends (indentation kept)."""
    text = "\n".join(lines)
    return text.strip("\n").rstrip()


def _read_header(path: Path, header: str) -> dict:
    """Read the docstring, LOSES and NOTEBOOK from the header (parsed, never run)."""
    try:
        module = ast.parse(header, filename=str(path))
    except SyntaxError as error:
        raise MistakeFormatError(f"{path}:{error.lineno}: header is not valid Python: {error.msg}")
    description = ast.get_docstring(module)
    if not description:
        raise MistakeFormatError(f'{path}: a docstring saying what the mistake is must come first')
    values = {"description": description, "loses": None, "notebook": None}
    for node in module.body[1:]:
        name, value = _constant_assignment(path, node)
        values[name.lower()] = value
    loses = values["loses"]
    if isinstance(loses, bool) or not isinstance(loses, (int, float)) or loses < 0:
        raise MistakeFormatError(f"{path}: LOSES must be a number >= 0, 0 for a correct "
                                 f"alternative answer (got {loses!r})")
    if values["notebook"] is not None and not str(values["notebook"]).endswith(".ipynb"):
        raise MistakeFormatError(f"{path}: NOTEBOOK must name a .ipynb file "
                                 f"(got {values['notebook']!r})")
    return values


def _constant_assignment(path: Path, node: ast.stmt) -> tuple[str, object]:
    """Return (name, value) of a header line `LOSES = 3` or `NOTEBOOK = "x.ipynb"`."""
    names = ("LOSES", "NOTEBOOK")
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and node.targets[0].id in names
            and isinstance(node.value, ast.Constant)):
        return node.targets[0].id, node.value.value
    raise MistakeFormatError(f"{path}:{node.lineno}: the header may only set LOSES = <points> "
                             'and NOTEBOOK = "<name>.ipynb" before the first block')
