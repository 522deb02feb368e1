#!/bin/sh
# Starts `sleep` as a daemon by a double fork, writes its pid into the file named by $1, and
# stays in the foreground: the daemon is re-parented to PID 1 and in a session of its own, out
# of reach of the launcher's process group.
( setsid sh -c 'sleep 100000 & echo $! > "$1"' sh "$1" & )
exec sleep 100000
