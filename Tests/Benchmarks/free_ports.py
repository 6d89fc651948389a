#!/usr/bin/env python3
"""Print N TCP ports on 127.0.0.1 that were free a moment ago, distinct, on one line.

    free_ports.py N

All sockets stay bound until every port is chosen, so the N ports differ from each other; the kernel hands out
ephemeral ports, which keeps clear of fixed ports such as SeaweedFS's defaults (8333, 9333, ...) that another
server on this machine may be using.
"""
import socket
import sys


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    sockets = []
    try:
        for _ in range(int(sys.argv[1])):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        print(" ".join(str(sock.getsockname()[1]) for sock in sockets))
    finally:
        for sock in sockets:
            sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
