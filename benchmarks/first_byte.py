"""Time to the first streamed event: how long after a request is sent its first `data:` line arrives.

    python3 benchmarks/first_byte.py ROUNDS BODY_FILE NAME=PORT [NAME=PORT ...]

Each NAME gets one keep-alive connection to 127.0.0.1:PORT and the same POST to /v1/chat/completions
(BODY_FILE, with `Accept: text/event-stream`). The targets take turns in blocks of 100 requests, so
that a change in the machine's load falls on all of them alike, and each request is read to its end
(Content-Length or chunked) before the next. Prints one line per target: NAME p50 p99 (µs) and the
number of requests timed. wrk cannot measure this: it times whole answers only.
"""
import socket
import sys
import time

BLOCK = 100


class Target:
    def __init__(self, name, port, body):
        self.name = name
        self.request = (
            "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Accept: text/event-stream\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.times = []

    def once(self):
        started = time.perf_counter_ns()
        self.socket.sendall(self.request)
        data = b""
        while True:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise SystemExit(f"first_byte.py: {self.name} closed the connection")
            data += chunk
            head_end = data.find(b"\r\n\r\n")
            if head_end >= 0 and data.find(b"data:", head_end) >= 0:
                break
        first = time.perf_counter_ns()
        self.read_rest(data, head_end)
        status = data.split(b" ", 2)[1]
        if status != b"200":
            raise SystemExit(f"first_byte.py: {self.name} answered {status.decode()}")
        return (first - started) / 1000

    def read_rest(self, data, head_end):
        head = data[:head_end].lower()
        body = data[head_end + 4:]
        if b"transfer-encoding: chunked" in head:
            while True:
                position, done = 0, False
                while True:
                    line_end = body.find(b"\r\n", position)
                    if line_end < 0:
                        break
                    size = int(body[position:line_end].split(b";")[0], 16)
                    if size == 0:
                        done = body.find(b"\r\n", line_end + 2) >= 0
                        break
                    if len(body) < line_end + 2 + size + 2:
                        break
                    position = line_end + 2 + size + 2
                if done:
                    return
                body += self.socket.recv(65536)
        length = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
        while len(body) < length:
            body += self.socket.recv(65536)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    rounds = int(sys.argv[1])
    body = open(sys.argv[2], "rb").read()
    targets = [Target(name, int(port), body) for name, port in (pair.split("=") for pair in sys.argv[3:])]
    for target in targets:
        for _ in range(BLOCK):
            target.once()  # warm up connections and caches
    for _ in range(rounds):
        for target in targets:
            target.times.extend(target.once() for _ in range(BLOCK))
    for target in targets:
        print(f"{target.name} {percentile(target.times, 0.5):.1f} {percentile(target.times, 0.99):.1f} {len(target.times)}")


main()
