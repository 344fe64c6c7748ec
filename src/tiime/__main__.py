"""``python -m tiime``: the ``tiime`` command."""

import sys

from .cli import main

sys.exit(main())
