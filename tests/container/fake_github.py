#!/usr/bin/env python3
"""A fake GitHub REST API over HTTPS that enforces GitHub's published contract.

Used by tests/container/run.sh to check what the action's container really
sends. It reads the OpenAPI fragments in tests/contracts/github-rest-api.json
(copied verbatim from github/rest-api-description) and, for every request:

- records it (method, path, query, headers in arrival order, body) as one JSON
  line in the log file, before judging it, so the test sees everything that
  arrived, good or bad;
- finds the operation by method and path template; an unknown route gets
  GitHub's 404;
- checks what GitHub asks of every client: `Authorization: Bearer <token>`
  (401 otherwise), a `User-Agent` (403 without one, as GitHub does),
  `Accept: application/vnd.github+json` and `X-GitHub-Api-Version: 2022-11-28`
  (400 otherwise), a JSON body with `Content-Type: application/json`;
- answers 404 with GitHub's real body for a repository it does not know;
- validates the body against the operation's requestBody schema and answers
  422 with a `validation-error` body when it does not fit;
- otherwise answers as GitHub does (204, no body, for a dispatch).

It also serves the reads of the action's receiver check (`check-receiver`),
from what --workflows gives it: `repos/get` (the repository, with its default
branch, --default-branch), `repos/get-content` of `.github/workflows` (the
listing of a folder, sorted by name) and of each file in it (GitHub's JSON
form, `content` in base64 with a newline every 60 characters), and
`actions/list-repo-workflows` (each `*.yml`/`*.yaml` file's state: `active`,
or `disabled_manually` for a file named by --disabled). A known repository
without --workflows has no `.github/workflows` folder (404). Each of these
answers, 200 or 404, is checked against the contract's response schema.

Every error body it sends is itself checked against the contract's response
schema, so the fake cannot drift from what it claims to imitate.

With --accept-older-clients it also takes what GitHub takes from clients that
predate its current advice, as Octokit in @actions/github sends it (bench/step.sh
times the JavaScript action that way): `Authorization: token <token>`, no
`X-GitHub-Api-Version` (GitHub then answers as 2022-11-28) and
`Accept: application/vnd.github.v3+json`. Every request is logged as sent.

With --app-id and --app-public-key it is also a GitHub App's side of GitHub
(tests/portable/run.sh), from the operations of --app-contract
(tests/contracts/github-app-api.json): `apps/get-repo-installation` and
`apps/create-installation-access-token` want `Authorization: Bearer <JWT>`, an
RS256 JWT whose signature `openssl` verifies with the app's public key, whose
`iss` is the app id and whose `iat`/`exp` GitHub would take (401 with GitHub's
messages otherwise); the token request mints a `ghs_` token, accepted from then
on like --token until `apps/revoke-installation-access-token`
(`DELETE /installation/token`, 204) revokes it. --dispatch-delay holds the
answer to each dispatch sent with a minted token that long (a step still
running when it is cancelled). A revocation that arrives while the file
--revoke-hang-file names exists gets no answer until that file is gone, then a
502, and revokes nothing (a revocation that does not end in time).
Without --app-id nothing of this exists and the fake behaves as above.

Python 3.11 standard library plus `jsonschema`. Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import signal
import ssl
import subprocess
import tempfile
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema

DOCS = "https://docs.github.com/rest"
DISPATCH_DOCS = "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event"
API_VERSION = "2022-11-28"
ACCEPT = "application/vnd.github+json"
# What GitHub also accepts, and Octokit (@actions/github) sends by default.
OLDER_ACCEPT = "application/vnd.github.v3+json"
CONTRACT_URI = "urn:github-rest-api"
# GitHub's documented limit on the serialized client_payload (the OpenAPI text
# says "less than 64KB", the Actions docs "a maximum of 65,535 characters").
MAX_PAYLOAD_BYTES = 65_535


class Contract:
    """Operations and schemas of the OpenAPI fragment, ready to match and validate."""

    def __init__(self, path: Path, nullable: bool = False) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        if nullable:
            allow_null(self.doc)
        resource = referencing.Resource.from_contents(
            self.doc, default_specification=referencing.jsonschema.DRAFT7
        )
        self.registry = referencing.Registry().with_resource(CONTRACT_URI, resource)
        self.routes: list[tuple[re.Pattern[str], str, str, dict[str, Any]]] = []
        for template, item in self.doc["paths"].items():
            regex = "^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            # repos/get-content's {path} spans segments (`.github/workflows/cd.yml`).
            regex = regex.replace("(?P<path>[^/]+)", "(?P<path>.+)")
            for method, operation in item.items():
                if isinstance(operation, dict) and "operationId" in operation:
                    self.routes.append((re.compile(regex), method.upper(), template, operation))

    def find(self, method: str, path: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
        for regex, op_method, template, operation in self.routes:
            match = regex.match(path)
            if match and op_method == method:
                params = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                return template, operation, params
        return None

    def validator(self, pointer: str) -> jsonschema.protocols.Validator:
        """A validator for the schema at `pointer` (a JSON pointer into the document)."""
        fragment = urllib.parse.quote(pointer, safe="/~")
        schema = {"$ref": f"{CONTRACT_URI}#{fragment}"}
        return jsonschema.Draft7Validator(schema, registry=self.registry)

    def request_validator(self, template: str, method: str) -> jsonschema.protocols.Validator:
        path = template.replace("~", "~0").replace("/", "~1")
        return self.validator(
            f"/paths/{path}/{method.lower()}/requestBody/content/application~1json/schema"
        )

    def response_validator(self, template: str, method: str, status: int) -> jsonschema.protocols.Validator | None:
        escaped = template.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/responses/{status}"
        response = self.doc["paths"][template][method.lower()]["responses"].get(str(status))
        if response is None:
            return None
        while "$ref" in response:  # responses are shared through #/components/responses
            pointer = response["$ref"].removeprefix("#")
            node: Any = self.doc
            for part in pointer.strip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            response = node
        if "application/json" not in response.get("content", {}):
            return None
        return self.validator(pointer + "/content/application~1json/schema")


def allow_null(node: Any) -> None:
    """OpenAPI 3.0's `nullable: true`, which Draft 7 does not read, as a `null` type.

    The App operations' answers hold required members that may be null
    (`suspended_by`, `suspended_at` of an installation); the fake sends them
    null, as GitHub does."""
    if isinstance(node, dict):
        if node.get("nullable") is True:
            if isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
            if isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"].append(None)
        for value in node.values():
            allow_null(value)
    elif isinstance(node, list):
        for value in node:
            allow_null(value)


def github_message(error: jsonschema.ValidationError) -> str:
    """Phrase a schema violation the way GitHub's 422 messages do."""
    where = "/".join(str(p) for p in error.absolute_path)
    value = json.dumps(error.instance, ensure_ascii=False)
    if error.validator == "maxProperties":
        return (
            f"No more than {error.validator_value} properties are allowed; "
            f"{len(error.instance)} were supplied."
        )
    if error.validator == "type":
        return f"For 'properties/{where}', {value} is not {'an' if error.validator_value in ('object', 'integer', 'array') else 'a'} {error.validator_value}."
    if error.validator == "required":
        return f"{error.message}."
    return f"For 'properties/{where}', {value} {error.message.removeprefix(repr(error.instance)).strip()}."


class State:
    """What the fake knows (repositories, token) and what it has seen (the log)."""

    def __init__(
        self,
        contract: Contract,
        log: Path,
        repos: set[str],
        token: str,
        older_clients: bool = False,
        default_branch: str = "main",
        workflows: dict[str, Path] | None = None,
        disabled: set[str] | None = None,
        app: App | None = None,
    ) -> None:
        self.contract = contract
        self.app = app
        self.default_branch = default_branch
        # repository (lower-case OWNER/NAME) -> the folder served as its .github/workflows
        self.workflows = {k.lower(): v for k, v in (workflows or {}).items()}
        # OWNER/NAME/FILE (lower-case repository) of workflows that are disabled
        self.disabled = disabled or set()
        self.older_clients = older_clients
        self.log = log
        self.repos = {r.lower() for r in repos}
        self.token = token
        self.lock = threading.Lock()
        self.remaining = 5000

    def record(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        with self.lock, self.log.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()

    def take_rate_limit(self) -> int:
        with self.lock:
            self.remaining = max(self.remaining - 1, 0)
            return self.remaining


class App:
    """A GitHub App installed on every repository of the fake: its key, the tokens minted."""

    # GitHub's 401 messages for a JWT it cannot take (../shared/facts/github-app-auth.md, A1).
    UNDECODABLE = "A JSON web token could not be decoded"
    BAD_IAT = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    BAD_EXP = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future"
    INSTALLATION_ID = 4242
    SLUG = "dispatch-bot"

    # How long a revocation waits for --revoke-hang-file to go, at most.
    MAX_HANG_SECS = 60

    def __init__(self, contract: Contract, app_id: str, public_key: Path, dispatch_delay: float, revoke_hang_file: Path | None) -> None:
        self.contract = contract
        self.app_id = app_id
        self.public_key = public_key
        self.dispatch_delay = dispatch_delay
        self.revoke_hang_file = revoke_hang_file
        self.lock = threading.Lock()
        # minted token -> "active" or "revoked"
        self.tokens: dict[str, str] = {}

    def jwt_problem(self, jwt: str) -> str | None:
        """None if GitHub would take `jwt` from this app, else its 401 message."""
        parts = jwt.split(".")
        if len(parts) != 3:
            return self.UNDECODABLE
        try:
            header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2])
            signature = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
        except ValueError:
            return self.UNDECODABLE
        if not isinstance(header, dict) or header.get("alg") != "RS256" or not isinstance(claims, dict):
            return self.UNDECODABLE
        if str(claims.get("iss")) != self.app_id:
            return self.UNDECODABLE
        with tempfile.NamedTemporaryFile() as sig:
            sig.write(signature)
            sig.flush()
            verified = subprocess.run(
                ["openssl", "dgst", "-sha256", "-verify", str(self.public_key), "-signature", sig.name],
                input=f"{parts[0]}.{parts[1]}".encode("ascii"),
                capture_output=True,
                check=False,
            )
        if verified.returncode != 0:
            return self.UNDECODABLE
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or iat > now + 1:
            return self.BAD_IAT
        if not isinstance(exp, (int, float)) or exp <= now:
            return self.BAD_EXP
        if exp > now + 600 + 1:
            return self.EXP_TOO_FAR
        return None

    def mint(self) -> str:
        token = "ghs_" + secrets.token_hex(18)
        with self.lock:
            self.tokens[token] = "active"
        return token

    def active(self, token: str) -> bool:
        with self.lock:
            return self.tokens.get(token) == "active"

    def hang(self) -> bool:
        """Whether --revoke-hang-file exists; if so, returns once it is gone (at most a minute)."""
        if self.revoke_hang_file is None or not self.revoke_hang_file.exists():
            return False
        deadline = time.monotonic() + self.MAX_HANG_SECS
        while self.revoke_hang_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return True

    def revoke(self, token: str) -> bool:
        """Revokes `token`; True if it was active."""
        with self.lock:
            if self.tokens.get(token) != "active":
                return False
            self.tokens[token] = "revoked"
            return True


APP_JWT_OPERATIONS = ("apps/get-repo-installation", "apps/create-installation-access-token")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State  # set on the class by main()

    def version_string(self) -> str:
        return "GitHub.com"

    # -- plumbing ---------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        sys.stderr.write("fake-github: " + (format % args) + "\n")

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status: int, body: dict[str, Any] | None = None, extra: dict[str, str] | None = None) -> None:
        payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("X-GitHub-Api-Version-Selected", API_VERSION)
        self.send_header("X-GitHub-Request-Id", f"FAKE:{os.getpid()}:{time.monotonic_ns()}")
        remaining = self.state.take_rate_limit()
        self.send_header("X-RateLimit-Limit", "5000")
        self.send_header("X-RateLimit-Remaining", str(remaining))
        self.send_header("X-RateLimit-Used", str(5000 - remaining))
        self.send_header("X-RateLimit-Reset", str(int(time.time()) + 3600))
        self.send_header("X-RateLimit-Resource", "core")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        if status != 204:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if status != 204:
            self.wfile.write(payload)

    def error(self, status: int, message: str, documentation_url: str = DOCS, **more: Any) -> None:
        body = {"message": message, "documentation_url": documentation_url, **more, "status": str(status)}
        self.send(status, body)

    # -- requests -----------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self.handle_api("GET")

    def do_POST(self) -> None:  # noqa: N802
        self.handle_api("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self.handle_api("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self.handle_api("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self.handle_api("DELETE")

    def handle_api(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self.read_body()
        self.state.record(
            {
                "time": time.time(),
                "method": method,
                "path": url.path,
                "query": url.query,
                "http_version": self.request_version,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": body.decode("utf-8", errors="replace"),
                "body_base64": base64.b64encode(body).decode("ascii"),
            }
        )

        contract = self.state.contract
        found = contract.find(method, url.path)
        if found is None and self.state.app is not None:
            contract = self.state.app.contract
            found = contract.find(method, url.path)
        if found is None:
            self.error(404, "Not Found")
            return
        template, operation, params = found
        app = self.state.app

        # Authentication comes first at GitHub: a bad token never learns whether
        # a repository exists.
        auth = self.headers.get("Authorization", "")
        if not auth:
            self.error(401, "Requires authentication")
            return
        scheme, _, token = auth.partition(" ")
        schemes = ("Bearer", "token") if self.state.older_clients else ("Bearer",)
        if app is not None and operation["operationId"] in APP_JWT_OPERATIONS:
            # A JWT goes only with Bearer (../shared/facts/github-app-auth.md, A1).
            problem = app.jwt_problem(token) if scheme == "Bearer" else App.UNDECODABLE
            if problem is not None:
                self.reply(contract, template, method, 401, {"message": problem, "documentation_url": DOCS, "status": "401"})
                return
        elif scheme not in schemes or not (token == self.state.token or (app is not None and app.active(token))):
            self.error(401, "Bad credentials")
            return
        if not self.headers.get("User-Agent"):
            # GitHub rejects requests without a User-Agent with a 403 and this text.
            self.error(
                403,
                "Request forbidden by administrative rules. "
                "Please make sure your request has a User-Agent header "
                "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). "
                "Check https://developer.github.com for other possible causes.",
            )
            return
        version = self.headers.get("X-GitHub-Api-Version")
        if version is None and self.state.older_clients:
            version = API_VERSION  # GitHub's default version
        if version != API_VERSION:
            self.error(400, f"API version {version!r} is not the contract's {API_VERSION!r}")
            return
        accepted = (ACCEPT, OLDER_ACCEPT) if self.state.older_clients else (ACCEPT,)
        if self.headers.get("Accept") not in accepted:
            self.error(400, f"Accept must be {ACCEPT!r} (got {self.headers.get('Accept')!r})")
            return

        owner_repo = f"{params.get('owner', '')}/{params.get('repo', '')}".lower()
        if "owner" in params and owner_repo not in self.state.repos:
            self.reply(contract, template, method, 404, {"message": "Not Found", "documentation_url": operation["externalDocs"]["url"], "status": "404"})
            return

        # A GET's optional requestBody (repos/get-content's holds only examples)
        # asks nothing of a request that sends no body.
        request_body = operation.get("requestBody")
        if request_body is not None and (request_body.get("required") or body):
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
            if content_type != "application/json":
                self.error(415, f"Unsupported 'Content-Type': {content_type!r}")
                return
            try:
                document = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                self.error(400, "Problems parsing JSON")
                return
            validator = contract.request_validator(template, method)
            problems = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
            if problems:
                errors = [
                    {
                        "resource": "Dispatch",
                        "field": ".".join(str(p) for p in e.absolute_path) or "body",
                        "code": "invalid",
                        "message": github_message(e),
                    }
                    for e in problems
                ]
                self.reply(
                    contract,
                    template,
                    method,
                    422,
                    {
                        "message": "Invalid request.\n\n" + "\n".join(e["message"] for e in errors),
                        "documentation_url": operation["externalDocs"]["url"],
                        "errors": errors,
                        "status": "422",
                    },
                )
                return
            payload = document.get("client_payload")
            if payload is not None and len(json.dumps(payload, separators=(",", ":")).encode()) >= MAX_PAYLOAD_BYTES:
                self.reply(template, method, 422, {"message": "client_payload is too large.", "documentation_url": operation["externalDocs"]["url"], "status": "422"})
                return

        if operation["operationId"] == "repos/create-dispatch-event":
            if app is not None and app.active(token):
                time.sleep(app.dispatch_delay)
            self.send(204)
            return
        if app is not None and operation["operationId"] in APP_OPERATIONS:
            status, answer = APP_OPERATIONS[operation["operationId"]](app, params, operation, body, token)
            if status == 502:
                self.error(502, "Server Error")
            elif status == 204:
                self.send(204)
            else:
                self.reply(contract, template, method, status, answer)
            return
        if operation["operationId"] in READS:
            status, answer = READS[operation["operationId"]](self.state, params, operation)
            self.reply(template, method, status, answer)
            return
        self.error(501, f"the fake does not implement {operation['operationId']}")

    def reply(self, *args: Any) -> None:
        """Send a body after checking it against the contract's response schema.

        reply([CONTRACT,] TEMPLATE, METHOD, STATUS, BODY): the contract is the
        main one unless given (the App operations')."""
        contract, (template, method, status, body) = (
            (args[0], args[1:]) if isinstance(args[0], Contract) else (self.state.contract, args)
        )
        validator = contract.response_validator(template, method, status)
        if validator is not None:
            validator.validate(body)
        self.send(status, body)


# --- the receiver check's reads ------------------------------------------------------
# Answers built from the contract's own examples, with this fake's repository,
# branch and files put in; `reply` validates each against the response schema.


def example(state: State, name: str) -> Any:
    return json.loads(json.dumps(state.contract.doc["components"]["examples"][name]["value"]))


def workflow_files(state: State, repo: str) -> list[Path] | None:
    folder = state.workflows.get(repo.lower())
    return None if folder is None else sorted(p for p in folder.iterdir() if p.is_file())


def not_found(operation: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return 404, {"message": "Not Found", "documentation_url": operation["externalDocs"]["url"], "status": "404"}


def get_repository(state: State, params: dict[str, str], _operation: dict[str, Any]) -> tuple[int, Any]:
    owner, name = params["owner"], params["repo"]
    repo = example(state, "full-repository-default-response")
    # Optional members whose example values hold OpenAPI 3.0 `nullable` nulls,
    # which the Draft 7 validator does not read: not sent.
    for key in ("template_repository", "parent", "source"):
        repo.pop(key, None)
    repo.update(
        name=name,
        full_name=f"{owner}/{name}",
        default_branch=state.default_branch,
        language="Rust",
        html_url=f"https://github.com/{owner}/{name}",
        url=f"https://api.github.com/repos/{owner}/{name}",
    )
    repo["owner"]["login"] = owner
    return 200, repo


def links(repo: str, path: str, branch: str, sha: str) -> dict[str, Any]:
    api = f"https://api.github.com/repos/{repo}"
    return {
        "url": f"{api}/contents/{path}?ref={branch}",
        "git_url": f"{api}/git/blobs/{sha}",
        "html_url": f"https://github.com/{repo}/blob/{branch}/{path}",
        "download_url": f"https://raw.githubusercontent.com/{repo}/{branch}/{path}",
        "_links": {
            "self": f"{api}/contents/{path}?ref={branch}",
            "git": f"{api}/git/blobs/{sha}",
            "html": f"https://github.com/{repo}/blob/{branch}/{path}",
        },
    }


def get_content(state: State, params: dict[str, str], operation: dict[str, Any]) -> tuple[int, Any]:
    import hashlib

    repo = f"{params['owner']}/{params['repo']}"
    files = workflow_files(state, repo)
    path = params["path"].strip("/")
    if files is None:
        return not_found(operation)

    def entry(file: Path) -> dict[str, Any]:
        data = file.read_bytes()
        sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        file_path = f".github/workflows/{file.name}"
        return {"type": "file", "size": len(data), "name": file.name, "path": file_path, "sha": sha,
                **links(repo, file_path, state.default_branch, sha)}

    if path == ".github/workflows":
        return 200, [entry(f) for f in files]
    for file in files:
        if path == f".github/workflows/{file.name}":
            encoded = base64.b64encode(file.read_bytes()).decode("ascii")
            # GitHub wraps the base64 text at 60 characters, each line ending in \n.
            content = "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
            return 200, {**entry(file), "encoding": "base64", "content": content}
    return not_found(operation)


def list_workflows(state: State, params: dict[str, str], _operation: dict[str, Any]) -> tuple[int, Any]:
    repo = f"{params['owner']}/{params['repo']}"
    template = example(state, "workflow-paginated")["workflows"][0]
    workflows = []
    for n, file in enumerate(workflow_files(state, repo) or []):
        if file.suffix not in (".yml", ".yaml"):
            continue
        path = f".github/workflows/{file.name}"
        workflow_id = 161335 + n
        workflows.append(
            {
                **template,
                "id": workflow_id,
                "name": file.stem,
                "path": path,
                "state": "disabled_manually" if f"{repo}/{file.name}".lower() in state.disabled else "active",
                "url": f"https://api.github.com/repos/{repo}/actions/workflows/{workflow_id}",
                "html_url": f"https://github.com/{repo}/blob/{state.default_branch}/{path}",
                "badge_url": f"https://github.com/{repo}/workflows/{file.stem}/badge.svg",
            }
        )
    return 200, {"total_count": len(workflows), "workflows": workflows}


# --- the App operations (--app-id) ------------------------------------------------------


def app_example(app: App, name: str) -> Any:
    return json.loads(json.dumps(app.contract.doc["components"]["examples"][name]["value"]))


def get_installation(app: App, params: dict[str, str], _operation: dict[str, Any], _body: bytes, _token: str) -> tuple[int, Any]:
    installation = app_example(app, "installation")
    installation.update(
        id=App.INSTALLATION_ID,
        app_id=int(app.app_id),
        app_slug=App.SLUG,
        target_type="Organization",
        access_tokens_url=f"https://api.github.com/app/installations/{App.INSTALLATION_ID}/access_tokens",
        html_url=f"https://github.com/organizations/{params['owner']}/settings/installations/{App.INSTALLATION_ID}",
        repository_selection="all",
        permissions={"contents": "write", "actions": "write", "metadata": "read"},
    )
    installation["account"]["login"] = params["owner"]
    return 200, installation


def create_token(app: App, params: dict[str, str], operation: dict[str, Any], body: bytes, _token: str) -> tuple[int, Any]:
    if params["installation_id"] != str(App.INSTALLATION_ID):
        return not_found(operation)
    request = json.loads(body.decode("utf-8")) if body else {}
    answer = {
        "token": app.mint(),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600)),
        "permissions": request.get("permissions") or {"contents": "write", "actions": "write", "metadata": "read"},
        "repository_selection": "selected" if request.get("repositories") else "all",
    }
    return 201, answer


def revoke_token(app: App, _params: dict[str, str], _operation: dict[str, Any], _body: bytes, token: str) -> tuple[int, Any]:
    if app.hang():
        return 502, None
    # The token was checked as active a moment ago; a concurrent revocation of
    # the same token leaves it revoked either way.
    app.revoke(token)
    return 204, None


APP_OPERATIONS = {
    "apps/get-repo-installation": get_installation,
    "apps/create-installation-access-token": create_token,
    "apps/revoke-installation-access-token": revoke_token,
}


READS = {
    "repos/get": get_repository,
    "repos/get-content": get_content,
    "actions/list-repo-workflows": list_workflows,
}


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext) -> None:
        super().__init__(address, Handler)
        self.context = context

    def get_request(self):  # type: ignore[no-untyped-def]
        sock, addr = super().get_request()
        return self.context.wrap_socket(sock, server_side=True), addr

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, (ssl.SSLError, ConnectionError)):
            sys.stderr.write(f"fake-github: connection from {client_address} failed: {sys.exc_info()[1]}\n")
            return
        super().handle_error(request, client_address)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contract", type=Path, required=True)
    parser.add_argument("--cert", type=Path, required=True, help="server certificate chain (PEM)")
    parser.add_argument("--key", type=Path, required=True, help="server private key (PEM)")
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines request log (appended)")
    parser.add_argument("--port-file", type=Path, required=True, help="written with the port once listening")
    parser.add_argument("--token", required=True, help="the one token the fake accepts")
    parser.add_argument("--repo", action="append", default=[], help="a repository that exists (OWNER/NAME)")
    parser.add_argument("--default-branch", default="main", help="every repository's default branch")
    parser.add_argument(
        "--workflows",
        action="append",
        default=[],
        metavar="OWNER/NAME=DIR",
        help="serve the files of DIR as that repository's .github/workflows",
    )
    parser.add_argument(
        "--disabled",
        action="append",
        default=[],
        metavar="OWNER/NAME/FILE",
        help="that workflow's state is disabled_manually",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--accept-older-clients",
        action="store_true",
        help="also accept `Authorization: token`, no X-GitHub-Api-Version and the v3 Accept, as GitHub does",
    )
    parser.add_argument("--app-id", help="be that GitHub App's side of GitHub too (needs --app-public-key, --app-contract)")
    parser.add_argument("--app-public-key", type=Path, help="the app's public key (PEM), which verifies its JWTs")
    parser.add_argument("--app-contract", type=Path, help="the App operations' OpenAPI fragments")
    parser.add_argument("--dispatch-delay", type=float, default=0.0, help="with --app-id: seconds the answer to a dispatch sent with a minted token waits")
    parser.add_argument("--revoke-hang-file", type=Path, help="with --app-id: while this file exists, revocations wait")
    args = parser.parse_args()
    app = None
    if args.app_id is not None:
        if args.app_public_key is None or args.app_contract is None:
            parser.error("--app-id needs --app-public-key and --app-contract")
        app = App(Contract(args.app_contract, nullable=True), args.app_id, args.app_public_key, args.dispatch_delay, args.revoke_hang_file)

    workflows = {}
    for spec in args.workflows:
        repo, _, folder = spec.partition("=")
        if repo.lower() not in {r.lower() for r in args.repo} or not Path(folder).is_dir():
            parser.error(f"--workflows {spec!r}: not a known --repo and a folder")
        workflows[repo] = Path(folder)
    Handler.state = State(
        Contract(args.contract),
        args.log,
        set(args.repo),
        args.token,
        args.accept_older_clients,
        args.default_branch,
        workflows,
        {d.lower() for d in args.disabled},
        app,
    )
    args.log.touch()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    server = Server((args.host, args.port), context)

    port_tmp = args.port_file.with_suffix(".tmp")
    port_tmp.write_text(f"{server.server_address[1]}\n", encoding="ascii")
    port_tmp.replace(args.port_file)  # atomic: a reader never sees a half-written port

    def stop(signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stderr.write(f"fake-github: listening on https://{args.host}:{server.server_address[1]}\n")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
