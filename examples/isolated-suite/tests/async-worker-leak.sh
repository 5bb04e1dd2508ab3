#!/bin/sh
# Passes, but leaves a background worker holding its stdout: leaked, and the worker is killed.
sleep 600 &
echo "request handled"
