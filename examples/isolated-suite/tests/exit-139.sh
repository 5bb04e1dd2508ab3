#!/bin/sh
# Reports a failure with exit code 139 on purpose: a failure, not a crash.
echo "self-check failed" >&2
exit 139
