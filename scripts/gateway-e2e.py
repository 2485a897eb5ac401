#!/usr/bin/env python3
"""End-to-end check of `costwise serve` with the official openai client.

Starts a stub OpenAI-compatible upstream on 127.0.0.1, runs the real `costwise serve` against it
on a fresh store, and talks to the gateway with `openai.OpenAI(base_url=...)`: a plain completion
routed by `costwise/auto`, and a streamed one for a named task type with usage. Then SIGTERM, and
the records of both requests must be in the store. Exits non-zero, saying why, on any difference.

Usage: gateway-e2e.py PATH_TO_COSTWISE_BINARY
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai

USAGE = {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}


class Stub(BaseHTTPRequestHandler):
    """Answers every model with one completion; streams when asked, with usage when asked."""

    protocol_version = "HTTP/1.1"
    received = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Stub.received.append(body)
        model = body["model"]
        if not body.get("stream"):
            answer = json.dumps({
                "id": "chatcmpl-stub", "object": "chat.completion", "created": 1, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the stub."},
                             "finish_reason": "stop"}],
                "usage": USAGE,
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        chunks = [
            {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hello"}, "finish_reason": None}]},
            {"choices": [{"index": 0, "delta": {"content": " from the stub."}, "finish_reason": "stop"}]},
        ]
        if body.get("stream_options", {}).get("include_usage"):
            chunks.append({"choices": [], "usage": USAGE})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        events = [f"data: {json.dumps({'id': 'chatcmpl-stub', 'object': 'chat.completion.chunk', 'created': 1, 'model': model, **chunk})}\n\n"
                  for chunk in chunks] + ["data: [DONE]\n\n"]
        for event in events:
            data = event.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    binary = sys.argv[1]
    stub = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        config = os.path.join(folder, "gateway.yaml")
        with open(config, "w") as file:
            file.write(f'providers:\n  "*":\n    base_url: http://127.0.0.1:{stub.server_port}/v1\n    model_ids: full\n')
        store = os.path.join(folder, "costwise.sqlite")
        server = subprocess.Popen([binary, "serve", "--config", config, "--port", "0", "--db", store],
                                  stderr=subprocess.PIPE, text=True)
        try:
            address = None
            for line in server.stderr:
                if "gateway listening on " in line:
                    address = line.strip().split("gateway listening on ")[1]
                    break
            if not address:
                fail(f"costwise serve did not start (exit {server.wait()})")
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            client = openai.OpenAI(base_url=f"{address}/v1", api_key="unused")

            raw = client.chat.completions.with_raw_response.create(
                model="costwise/auto",
                messages=[{"role": "user", "content": "Summarize this article in three sentences."}])
            plain = raw.parse()
            if plain.choices[0].message.content != "Hello from the stub.":
                fail(f"plain answer: {plain}")
            if plain.model != raw.headers["x-costwise-model"] or plain.model != Stub.received[-1]["model"]:
                fail(f"plain answer's model {plain.model} is not the one routed to")
            if not plain.usage or plain.usage.model_extra.get("cost_usd") is None:
                fail(f"plain answer has no usage.cost_usd: {plain.usage}")
            print(f"plain: {plain.model} for task {raw.headers['x-costwise-task']}, cost_usd {plain.usage.model_extra['cost_usd']}")

            text, usage = "", None
            stream = client.chat.completions.create(
                model="costwise/summarization", stream=True, stream_options={"include_usage": True},
                messages=[{"role": "user", "content": "Summarize: the gateway passes each chunk on as it arrives."}])
            for chunk in stream:
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
                if chunk.usage:
                    usage = chunk.usage
            if text != "Hello from the stub.":
                fail(f"streamed text: {text!r}")
            if not usage or usage.model_extra.get("cost_usd") is None:
                fail(f"the usage chunk has no cost_usd: {usage}")
            print(f"stream: {text!r}, cost_usd {usage.model_extra['cost_usd']}")

            try:
                client.chat.completions.create(model="costwise/no-such-task", messages=[{"role": "user", "content": "x"}])
                fail("an unknown task type was accepted")
            except openai.NotFoundError as error:
                if error.code != "unknown_task":
                    fail(f"unknown task: {error.status_code} {error.code}")
                print(f"unknown task: {error.status_code} {error.code}")
        finally:
            server.send_signal(signal.SIGTERM)
            status = server.wait(timeout=30)
        if status != 0:
            fail(f"costwise serve exited {status} on SIGTERM")
        records = json.loads(subprocess.run([binary, "requests", "--json", "--db", store], check=True,
                                            capture_output=True, text=True).stdout)
        if [record["status"] for record in records] != ["ok", "ok", "rejected"]:
            fail(f"records after SIGTERM: {records}")
        print(f"records: {len(records)}, all flushed on SIGTERM")
    stub.shutdown()
    print("gateway end to end: ok")


if __name__ == "__main__":
    main()
