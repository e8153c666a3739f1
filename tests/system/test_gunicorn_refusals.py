"""What gunicorn refuses before the app sees it is answered as the app answers errors."""
import json
import socket

import pytest

pytestmark = pytest.mark.system


def raw_request(server, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


REFUSED = [
    (b"GET /api/v1/claims?q=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    (b"GET /api/v1/claims HTTP/1.1\r\nHost: localhost\r\nX-Long: " + b"x" * 9000 + b"\r\n\r\n", 431),
    (b"GET /api/v1/claims HTTP/1.1\r\nHost: localhost\r\n"
     + b"".join(b"X-H%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431),
    (b"GARBAGE\r\n\r\n", 400),
]


def test_gunicorn_refusals_are_problem_json(servers):
    server = servers.start()
    for request, status in REFUSED:
        answered, headers, body = raw_request(server, request)
        assert answered == status, request[:40]
        assert headers["content-type"] == "application/problem+json"
        assert headers["x-content-type-options"] == "nosniff"
        problem = json.loads(body)
        assert problem["status"] == status and problem["title"] and problem["detail"]
    # The server still answers as usual.
    answered, headers, _ = raw_request(server, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answered == 200 and headers["x-content-type-options"] == "nosniff"
