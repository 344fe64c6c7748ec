"""What every test shares: nothing leaves this machine.

The messages in English, whatever the machine's locale.

dlt (the `dlt` extra, used by the sync tests and a README snippet) reports anonymous usage
to its makers unless told not to; with no network that report retries at exit and held a
finished test run open. Off for the whole suite, before dlt is imported.
"""

from __future__ import annotations

import os

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
# The messages are checked in English unless a test asks for French (tests/i18n): the
# machine's locale (LANG=fr_FR.UTF-8) must not change what the suite reads.
os.environ["TIIME_LANG"] = "en"
