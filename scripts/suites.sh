#!/usr/bin/env bash
# The test suite in the newest environment, then in the lowest; both always run. Exits 1 if
# either failed, and says which: a failure only in the newest one is an upstream release that
# changed behaviour (README, "When an upstream release breaks the suite").
make="${1:-make}"
newest=0
lowest=0
$make --no-print-directory pytest || newest=$?
$make --no-print-directory pytest-lowest || lowest=$?
echo
echo "suites: newest dependencies: $([ $newest -eq 0 ] && echo passed || echo FAILED);" \
    "lowest dependencies: $([ $lowest -eq 0 ] && echo passed || echo FAILED)"
if [ $newest -ne 0 ] && [ $lowest -eq 0 ]; then
    echo "suites: only the newest environment fails: an upstream release probably changed" \
        "behaviour (each suite's first line names its versions); see the README's" \
        "'When an upstream release breaks the suite'." >&2
fi
[ $newest -eq 0 ] && [ $lowest -eq 0 ]
