"""What every test shares: nothing leaves this machine.

dlt (the `dlt` extra, used by the sync tests and a README snippet) reports anonymous usage
to its makers unless told not to; with no network that report retries at exit and held a
finished test run open. Off for the whole suite, before dlt is imported.
"""

from __future__ import annotations

import os

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
