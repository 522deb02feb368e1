"""An event listener that logs each process state change to its stderr (the protocol is on
stdout and stdin: READY, then one event, then its RESULT)."""
import sys

while True:
    sys.stdout.write('READY\n')
    sys.stdout.flush()
    header = dict(field.split(':', 1) for field in sys.stdin.readline().split())
    payload = sys.stdin.read(int(header['len']))
    sys.stderr.write(f"{header['eventname']} {payload}\n")
    sys.stderr.flush()
    sys.stdout.write('RESULT 2\nOK')
    sys.stdout.flush()
