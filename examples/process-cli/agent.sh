#!/bin/sh
# A stand-in for a storage CLI: "creates" an issue named by its argument and answers in JSON.
title="$1"
case "$title" in
  *[!A-Za-z0-9]*) echo "{\"status\":\"rejected\",\"title\":\"$title\"}"; exit 2 ;;
esac
echo "{\"status\":\"created\",\"title\":\"$title\"}"
