#!/bin/sh
# Stands for a program that cannot start before its database is up: it exits 1 while the file
# named by its argument is missing, and runs once it exists.
if [ ! -e "$1" ]; then
  echo "no database yet ($1 is missing)" >&2
  exit 1
fi
echo "database found"
exec sleep 1000000
