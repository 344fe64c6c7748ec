"""``python -m tiime.cli``: the ``tiime`` command."""

import sys

from . import main

sys.exit(main())
