"""``python -m grading``: see grading/cli.py."""

import sys

from .cli import main

# Guarded: grading workers are spawned processes, which import the main module again.
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
