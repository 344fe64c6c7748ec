"""Compile the project's bytecode before timing it, as an installed package has it.

``pip install`` writes the ``.pyc`` files of what it installs; an editable checkout gets
them on first import, unless ``PYTHONDONTWRITEBYTECODE`` is set, and then every run of
``tiime`` compiles some fifty modules from source again (30-40 ms). The benchmarks time
the installed command, so they compile first (``compileall`` writes the files whatever
that variable says).
"""

from __future__ import annotations

import compileall
from pathlib import Path

import tiime


def compile_project() -> None:
    """Write the ``__pycache__`` files of the ``tiime`` package (a no-op when up to date)."""
    compileall.compile_dir(str(Path(tiime.__file__).parent), quiet=1)
