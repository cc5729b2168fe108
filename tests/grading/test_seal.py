"""Tests for grading.seal: the kernel-side seal."""

from __future__ import annotations

import sys
import uuid

from grading.seal import seal_source


class TestSealSource:
    def test_leaves_the_namespace_alone(self):
        """The seal's code defines nothing in the notebook's namespace."""
        namespace = {}
        name = f"_seal_{uuid.uuid4().hex}"
        exec(seal_source(name), namespace)
        try:
            assert set(namespace) == {"__builtins__"}
            sys.modules[name].check()  # nothing replaced: passes
        finally:
            sys.modules.pop(name, None)


