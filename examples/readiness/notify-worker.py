#!/usr/bin/env python3
"""A worker that speaks systemd's sd_notify protocol, for trying readiness=notify and
liveness=watchdog: it sends READY=1 to $NOTIFY_SOCKET --ready-after seconds after it starts,
then, when $WATCHDOG_USEC is set, WATCHDOG=1 twice per watchdog period --beats times (forever
by default) before it stops sending them, as a worker stuck in a loop would."""
import argparse
import os
import socket
import sys
import time


def notify(message):
    path = os.environ['NOTIFY_SOCKET']
    if path.startswith('@'):
        path = '\0' + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--ready-after', type=float, default=0)
    parser.add_argument('--beats', type=int, default=-1)
    args = parser.parse_args()
    time.sleep(args.ready_after)
    notify('READY=1\nSTATUS=working')
    print('ready', flush=True)
    period = int(os.environ.get('WATCHDOG_USEC', '0')) / 1e6
    beats = 0
    while period and beats != args.beats:
        notify('WATCHDOG=1')
        beats += 1
        print('beat %d' % beats, flush=True)
        time.sleep(period / 2)
    print('stuck', flush=True)
    while True:
        time.sleep(3600)


if __name__ == '__main__':
    sys.exit(main())
