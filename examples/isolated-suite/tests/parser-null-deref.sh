#!/bin/sh
# Dereferences a null pointer: a crash by SIGSEGV (no core file).
ulimit -c 0
echo "parsing (((" 
kill -s SEGV $$
