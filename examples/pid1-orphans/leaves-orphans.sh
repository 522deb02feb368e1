#!/bin/sh
# Leaves an orphan behind every 5 seconds, as a careless wrapper script does: a subshell starts
# a short job in the background and exits at once, so the job's parent is gone when it ends.
while :; do
  (sleep 1 &)
  sleep 5
done
