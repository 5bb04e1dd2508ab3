#!/bin/sh
# Waits for a server that never answers: hangs until its timeout.
echo "connecting to 127.0.0.1:9 and waiting for a reply"
exec sleep 3600
