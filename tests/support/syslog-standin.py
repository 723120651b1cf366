"""A stand-in for Azure Monitor Agent's syslog listener on a test guest, stdlib only.

The agent takes what rsyslog forwards to it over TCP on the loopback address (Azure Monitor docs,
"Collect Syslog events with Azure Monitor Agent": omfwd to 127.0.0.1, port 28330 by default)
and keeps what the data collection rule names. This one appends each line it receives, as it
came, to a record file; the test parses and filters it.
Usage: syslog-standin.py <address> <port> <record>
"""
import socketserver
import sys


class Lines(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            with open(self.server.record, "ab") as out:
                out.write(raw if raw.endswith(b"\n") else raw + b"\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    address, port, record = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    server = Server((address, port), Lines)
    server.record = record
    server.serve_forever()


if __name__ == "__main__":
    main()
