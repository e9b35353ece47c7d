#!/usr/bin/env python3
"""Cold starts of the Lambda binary against a stand-in for the Lambda Runtime API.

For each run: a fresh runtime API (http.server on a free port of 127.0.0.1) holding one event,
the binary started with Lambda's environment pointing at it, and the time from just before the
process is spawned to the moment its answer (POST .../invocation/{id}/response) arrives; then
the process is killed. The event is an API Gateway HTTP API (payload 2.0) request for
`GET /api/signins` without a token: the router's authentication answers 401 with the JSON error
body, without touching the store, so the run measures process start, configuration, the store
and blob clients' setup, the runtime's first poll and one trip through the router.

    python3 bench/lambda_runtime_emulator.py --binary target/release/zhibu-api \\
        --catalog public/zhibu-catalog.json [--runs 30] [--warmup 2]

Standard library only. Prints the median and p90 of time to the first poll of
/invocation/next (initialisation) and to the response, and exits non-zero if any run fails or
answers anything but 401.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API = "/2018-06-01/runtime"
FUNCTION_NAME = "zhibu-api"
EXPECTED_STATUS = 401
TOKEN_SECRET = "bench-token-secret-" + "0123456789abcdefghijk"  # 40 characters


def http_api_event(request_id: str) -> dict:
    """An API Gateway HTTP API (payload format 2.0) event, as CloudFront forwards it."""
    now = time.time()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/api/signins",
        "rawQueryString": "",
        "headers": {
            "accept": "application/json",
            "host": "abcdef1234.execute-api.cn-north-1.amazonaws.com.cn",
            "user-agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0",
            "via": "2.0 example.cloudfront.net (CloudFront)",
            "x-amz-cf-id": "bench",
            "x-forwarded-for": "203.0.113.7, 198.51.100.1",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": "abcdef1234.execute-api.cn-north-1.amazonaws.com.cn",
            "domainPrefix": "abcdef1234",
            "http": {
                "method": "GET",
                "path": "/api/signins",
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0",
            },
            "requestId": request_id,
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }


class Run:
    """One cold start: the event it serves and what came back, with times."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.request_id = str(uuid.uuid4())
        self.event_taken = False
        self.first_poll: float | None = None
        self.responded: float | None = None
        self.response: bytes | None = None
        self.error: str | None = None
        self.done = threading.Event()


class RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The killed process's open connection (its next poll) resets: expected, not news.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def make_handler(run_ref: list[Run]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def do_GET(self) -> None:
            run = run_ref[0]
            if self.path != f"{API}/invocation/next":
                self._reply(404, b'{"errorMessage":"not found"}')
                return
            if run.first_poll is None:
                run.first_poll = time.perf_counter()
            if run.event_taken:
                # The runtime polls again after answering; it is killed before anything comes.
                run.done.wait(30)
                return
            run.event_taken = True
            body = json.dumps(http_api_event(run.request_id)).encode()
            deadline_ms = int(time.time() * 1000) + 10_000
            self._reply(
                200,
                body,
                {
                    "Lambda-Runtime-Aws-Request-Id": run.request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": (
                        f"arn:aws-cn:lambda:cn-north-1:123456789012:function:{FUNCTION_NAME}"
                    ),
                    "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
                },
            )

        def do_POST(self) -> None:
            run = run_ref[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            now = time.perf_counter()
            if self.path == f"{API}/invocation/{run.request_id}/response":
                run.responded = now
                run.response = body
            elif self.path.endswith("/error"):
                run.error = f"{self.path}: {body.decode(errors='replace')}"
            else:
                run.error = f"unexpected POST {self.path}"
            self._reply(202, b'{"status":"OK"}')
            run.done.set()

    return Handler


def lambda_environment(port: int, catalog: str, data_dir: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": data_dir,
        "TMPDIR": data_dir,
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{FUNCTION_NAME}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/26/[$LATEST]bench",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_REGION": "cn-north-1",
        "AWS_DEFAULT_REGION": "cn-north-1",
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_SESSION_TOKEN": "bench-session-token",
        "ZHIBU_STORE": "dynamodb:zhibu",
        "ZHIBU_BLOBS": "s3:photos/photos",
        "ZHIBU_TOKEN_SECRET": TOKEN_SECRET,
        "ZHIBU_CATALOG": catalog,
        "RUST_LOG": "warn",
    }
    return env


def cold_start(binary: str, catalog: str, data_dir: str, timeout: float) -> Run:
    run_ref: list[Run] = [Run(0.0)]
    server = RuntimeApiServer(("127.0.0.1", 0), make_handler(run_ref))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = lambda_environment(server.server_address[1], catalog, data_dir)
    log = tempfile.TemporaryFile()
    try:
        run = Run(0.0)
        run_ref[0] = run
        run.t0 = time.perf_counter()
        proc = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=data_dir)
        finished = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if run.done.wait(0.005):
                finished = True
                break
            if proc.poll() is not None:
                run.done.wait(0.05)
                finished = run.done.is_set()
                break
        proc.kill()
        proc.wait()
        if not finished and run.error is None:
            log.seek(0)
            output = log.read().decode(errors="replace").strip()
            how = f"exited with {proc.returncode}" if proc.returncode not in (None, -9) else "timed out"
            run.error = f"no response ({how}); its output:\n{output}"
        return run
    finally:
        run_ref[0].done.set()
        server.shutdown()
        server.server_close()
        log.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--catalog", required=True, help="a zhibu-catalog.json written by `zhibu build`")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2, help="runs not counted (page cache)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per run")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    catalog = os.path.abspath(args.catalog)

    init_ms: list[float] = []
    total_ms: list[float] = []
    statuses: dict[int, int] = {}
    sample_body = ""
    with tempfile.TemporaryDirectory(prefix="zhibu-lambda-") as data_dir:
        for i in range(args.warmup + args.runs):
            run = cold_start(binary, catalog, data_dir, args.timeout)
            if run.error:
                print(f"run {i + 1}: {run.error}", file=sys.stderr)
                return 1
            answer = json.loads(run.response or b"{}")
            status = int(answer.get("statusCode", 0))
            if i < args.warmup:
                continue
            statuses[status] = statuses.get(status, 0) + 1
            sample_body = answer.get("body", "")
            assert run.first_poll is not None and run.responded is not None
            init_ms.append((run.first_poll - run.t0) * 1000)
            total_ms.append((run.responded - run.t0) * 1000)

    print(f"request: GET /api/signins without a token (HTTP API payload 2.0); answers: {statuses}")
    print(f"body: {sample_body}")
    print(
        f"cold start, spawn to first poll of /invocation/next: median {statistics.median(init_ms):.1f} ms, "
        f"p90 {percentile(init_ms, 0.9):.1f} ms"
    )
    print(
        f"cold start, spawn to response ({len(total_ms)} runs): median {statistics.median(total_ms):.1f} ms, "
        f"p90 {percentile(total_ms, 0.9):.1f} ms, min {min(total_ms):.1f}, max {max(total_ms):.1f}"
    )
    print(f"COLD_START_MEDIAN_MS={statistics.median(total_ms):.1f}")
    print(f"COLD_START_P90_MS={percentile(total_ms, 0.9):.1f}")
    if set(statuses) != {EXPECTED_STATUS}:
        print(f"expected every answer to be {EXPECTED_STATUS}, got {statuses}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
