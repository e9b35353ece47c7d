#!/usr/bin/env python3
"""The driver of bench/soak.sh: sustained mixed traffic against a running `zhibu serve`, then exact
counts checked. Standard library only (Python 3.11+).

Every member logs in, then for the run's length each one, on its own schedule spread over the
run, reads pages and its own data, signs in to the open event (once with an Idempotency-Key, the
same request again with that key, and once more without a key), posts a few study notes (one
retried with its key, one too short) and uploads photos of a few campaign days (one day
replaced, one retried with its key under a new multipart boundary, one day still to come). A
member's requests are sent one after another, as from one phone; members run side by side.

Every answer is recorded. At the end, through the admin API and the SQLite file itself: every
accepted submission is stored exactly once (sign-ins, notes, the last accepted photo of each
day, two blobs per photo), nothing refused is stored, and every replayed answer equals the
original. The server's resident memory is sampled every 5 s.

    python3 bench/soak.py --base http://127.0.0.1:PORT --pid PID --data DATA --codes codes.csv \\
        --admin a001 --event soak-event --campaign soak-campaign --open-days 5 --note-page /soak/ \\
        --pages pages.txt --seconds 600 --rate 50

Exit status: 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import csv
import http.client
import json
import os
import random
import sqlite3
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

# ------------------------------------------------------------------------------------------------
# Photos: a minimal baseline JPEG encoder (grayscale, quantisation 1, one DC value per 8×8 block),
# enough for a real decoder to read a mosaic of grey blocks.

DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]  # the standard luminance DC table
DC_VALS = list(range(12))
AC_BITS = [1] + [0] * 15  # one code: end of block
AC_VALS = [0x00]


def huffman_codes(bits: list[int], vals: list[int]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


DC_CODES = huffman_codes(DC_BITS, DC_VALS)
EOB = huffman_codes(AC_BITS, AC_VALS)[0x00]


class BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0x00)  # byte stuffing
                self.acc, self.n = 0, 0

    def finish(self) -> bytes:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with ones
        return bytes(self.out)


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg(width: int, height: int, rng: random.Random, comment: bytes = b"") -> bytes:
    """A width×height grey mosaic (both multiples of 8) as a baseline JPEG."""
    bw = BitWriter()
    previous = 0
    for _ in range(height // 8):
        for _ in range(width // 8):
            level = rng.randrange(16, 240)
            dc = 8 * (level - 128)  # the DCT's DC term of a flat block, quantised by 1
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            code, length = DC_CODES[size]
            bw.put(code, length)
            if size:
                bw.put(diff if diff > 0 else diff + (1 << size) - 1, size)
            bw.put(*EOB)
    out = bytearray(b"\xff\xd8")
    if comment:
        out += segment(0xFE, comment)
    out += segment(0xDB, bytes([0x00]) + bytes([1] * 64))
    out += segment(0xC0, bytes([8]) + height.to_bytes(2, "big") + width.to_bytes(2, "big") + bytes([1, 1, 0x11, 0]))
    out += segment(0xC4, bytes([0x00]) + bytes(DC_BITS) + bytes(DC_VALS))
    out += segment(0xC4, bytes([0x10]) + bytes(AC_BITS) + bytes(AC_VALS))
    out += segment(0xDA, bytes([1, 1, 0x00, 0, 63, 0]))
    out += bw.finish()
    out += b"\xff\xd9"
    return bytes(out)


def multipart(fields: list[tuple[str, bytes, str | None]], boundary: str) -> bytes:
    body = bytearray()
    for name, value, filename in fields:
        body += f"--{boundary}\r\n".encode()
        if filename:
            body += f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
            body += b"Content-Type: image/jpeg\r\n"
        else:
            body += f'Content-Disposition: form-data; name="{name}"\r\n'.encode()
        body += b"\r\n" + value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body)


# ------------------------------------------------------------------------------------------------
# Recording


@dataclass
class Answer:
    status: int  # 0: no answer (connection error)
    body: bytes
    replayed: bool
    seconds: float


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    statuses: dict[str, collections.Counter] = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    unexpected: list[str] = field(default_factory=list)
    # What the server accepted, as it answered it.
    signins: dict[str, dict] = field(default_factory=dict)
    notes: dict[str, dict] = field(default_factory=dict)  # note id -> {"member", "body"}
    copies: dict[tuple[str, int], dict] = field(default_factory=dict)  # (member, day) -> last accepted copy
    refused_copies: set[tuple[str, int]] = field(default_factory=set)
    max_lag: float = 0.0
    sent: int = 0

    def record(self, kind: str, answer: Answer) -> None:
        with self.lock:
            self.latencies[kind].append(answer.seconds)
            self.statuses[kind][answer.status] += 1
            self.sent += 1

    def wrong(self, message: str) -> None:
        with self.lock:
            if len(self.unexpected) < 10_000:
                self.unexpected.append(message)


class Client:
    """One keep-alive connection, as one phone's browser would hold."""

    # A connection idle this long is replaced before use, so that a server closing idle
    # connections cannot make a submission's fate unknown.
    IDLE = 10.0

    def __init__(self, base: str) -> None:
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.conn: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        start = time.perf_counter()
        if self.conn is not None and time.monotonic() - self.last_used > self.IDLE:
            self.close()
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.conn.request(method, path, body=body, headers=headers or {})
            except OSError as e:
                # Not sent: safe to send again on a new connection.
                self.close()
                if attempt == 1:
                    return Answer(0, f"send: {e}".encode(), False, time.perf_counter() - start)
                continue
            try:
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as e:
                # Sent but not answered: the server may or may not have acted on it, so only a
                # read is tried again; a submission counts as an error.
                self.close()
                if attempt == 1 or method != "GET":
                    return Answer(0, f"receive: {e}".encode(), False, time.perf_counter() - start)
                continue
            self.last_used = time.monotonic()
            if (response.getheader("Connection") or "").lower() == "close":
                self.close()
            replayed = response.getheader("Idempotent-Replayed") == "true"
            return Answer(response.status, data, replayed, time.perf_counter() - start)
        return Answer(0, b"unreachable", False, time.perf_counter() - start)


def as_json(answer: Answer) -> dict:
    try:
        value = json.loads(answer.body)
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def photo_key(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.removeprefix("/api/photos/"))


# ------------------------------------------------------------------------------------------------
# The plan: every member's actions, each at a time within the run


@dataclass(order=True)
class Action:
    at: float
    seq: int
    kind: str = field(compare=False)
    member: str = field(compare=False)
    data: dict = field(compare=False, default_factory=dict)


NOTE_TEXTS = [
    "学习党章第{n}条，体会到党员要在实习岗位上发挥先锋模范作用。",
    "今天重温入党誓词，第{n}次提醒自己不忘初心、牢记使命。",
    "结合实习工作谈学习体会：把理论学习与岗位实践结合起来（{n}）。",
    "读了支部推荐的文章，第{n}点印象最深：联系群众、服务群众。",
]


def plan(members: list[str], args: argparse.Namespace, rng: random.Random) -> list[Action]:
    seconds = args.seconds
    actions: list[Action] = []
    seq = 0

    def add(at: float, kind: str, member: str, **data) -> None:
        nonlocal seq
        seq += 1
        actions.append(Action(min(max(at, 0.0), seconds * 0.999), seq, kind, member, data))

    def later(t: float) -> float:
        return t + rng.uniform(0.5, max(1.0, min(60.0, (seconds - t) * 0.5)))

    for m in members:
        # Sign-in: once with a key, the same again with that key, once more without a key.
        t = rng.uniform(0, seconds * 0.6)
        key = uuid.uuid4().hex
        with_location = rng.random() < 0.5
        add(t, "signin", m, key=key, location=with_location)
        add(later(t), "signin_retry", m, key=key, location=with_location)
        add(later(later(t)), "signin_repeat", m, location=with_location)
        # Notes: a few, one retried with its key, one too short.
        for n in range(args.notes_per_member):
            t = rng.uniform(0, seconds * 0.8)
            key = uuid.uuid4().hex
            body = rng.choice(NOTE_TEXTS).format(n=rng.randrange(1, 100)) + f"（{m}-{n}）"
            add(t, "note", m, key=key, body=body)
            if n == 0:
                add(later(t), "note_retry", m, key=key, body=body)
        add(rng.uniform(0, seconds), "note_short", m, body="太短了")
        # Photos: a few days (one replaced), one retried with its key, a day still to come.
        days = list(range(1, args.open_days + 1))
        rng.shuffle(days)
        chosen = days[: args.copies_per_member - 1] + days[:1]  # the last one replaces the first
        for i, day in enumerate(chosen):
            t = rng.uniform(0, seconds * 0.8)
            key = uuid.uuid4().hex if i % 2 == 0 else None
            add(t, "copy", m, key=key, day=day, nonce=uuid.uuid4().hex)
            if i == 0:
                add(later(t), "copy_retry", m, key=key or uuid.uuid4().hex, day=day, nonce=None, pair=seq)
        # Two days ahead: a run that passes midnight in Beijing opens one more day on the way.
        add(rng.uniform(0, seconds), "copy_future", m, day=args.open_days + 2, nonce=uuid.uuid4().hex)
    submissions = len(actions)
    reads = max(0, int(args.rate * seconds) - submissions)
    for _ in range(reads):
        m = rng.choice(members)
        r = rng.random()
        if r < 0.45:
            add(rng.uniform(0, seconds), "page", m, path=rng.choice(args.page_list))
        elif r < 0.65:
            add(rng.uniform(0, seconds), "me", m, path="/api/me")
        elif r < 0.8:
            add(rng.uniform(0, seconds), "copies_list", m, path=f"/api/copies?campaign={args.campaign}")
        elif r < 0.9:
            add(rng.uniform(0, seconds), "signins_list", m, path="/api/signins")
        else:
            add(rng.uniform(0, seconds), "notes_mine", m, path="/api/notes/mine")
    return actions


# ------------------------------------------------------------------------------------------------
# Running it


class Member:
    def __init__(self, member_id: str, code: str) -> None:
        self.id = member_id
        self.code = code
        self.token = ""
        # The original answers of keyed submissions, for their retries: key -> (status, body).
        self.kept: dict[str, tuple[int, bytes]] = {}
        self.signin: dict | None = None
        # The uploads sent, for retries: sequence number -> (key, day, body without boundary).
        self.uploads: dict[int, tuple[str, int, list]] = {}


def json_headers(token: str, key: str | None = None) -> dict:
    h = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        h["Idempotency-Key"] = key
    return h


def run_action(client: Client, me: Member, a: Action, args: argparse.Namespace, results: Results, rng: random.Random) -> None:
    auth = {"Authorization": f"Bearer {me.token}"}
    kind = a.kind
    if kind in ("page", "me", "copies_list", "signins_list", "notes_mine"):
        answer = client.request("GET", a.data["path"], headers=auth if kind != "page" else {})
        results.record(kind, answer)
        if answer.status != 200:
            results.wrong(f"{kind} {a.data['path']}: {answer.status} {answer.body[:200]!r}")
        return

    if kind.startswith("signin"):
        body = {"event": args.event, "consent_location": a.data["location"]}
        body["location"] = {"lat": 30.5234, "lon": 114.3612, "accuracy_m": 25} if a.data["location"] else None
        key = a.data.get("key")
        answer = client.request("POST", "/api/signins", json.dumps(body).encode(), json_headers(me.token, key))
        results.record(kind, answer)
        value = as_json(answer)
        if kind == "signin":
            if answer.status != 201:
                results.wrong(f"signin {me.id}: {answer.status} {answer.body[:200]!r}")
                return
            me.kept[key] = (answer.status, answer.body)
            me.signin = value.get("signin")
            with results.lock:
                results.signins[me.id] = value.get("signin")
        elif kind == "signin_retry":
            check_replay(me, key, answer, kind, results)
        else:  # a repeat without a key: 200 and the stored record, nothing new
            if answer.status != 200 or value.get("signin") != me.signin:
                results.wrong(f"signin_repeat {me.id}: {answer.status} {answer.body[:200]!r} (first: {me.signin})")
        return

    if kind.startswith("note"):
        key = a.data.get("key")
        body = {"page": args.note_page, "body": a.data["body"]}
        answer = client.request("POST", "/api/notes", json.dumps(body, ensure_ascii=False).encode(), json_headers(me.token, key))
        results.record(kind, answer)
        value = as_json(answer)
        if kind == "note":
            if answer.status != 201:
                results.wrong(f"note {me.id}: {answer.status} {answer.body[:200]!r}")
                return
            me.kept[key] = (answer.status, answer.body)
            note = value.get("note", {})
            with results.lock:
                if note.get("id") in results.notes:
                    results.wrong(f"note {me.id}: id {note.get('id')} answered twice")
                results.notes[note.get("id")] = {"member": me.id, "body": a.data["body"].strip()}
        elif kind == "note_retry":
            check_replay(me, key, answer, kind, results)
        elif answer.status != 422:
            results.wrong(f"note_short {me.id}: {answer.status} {answer.body[:200]!r}")
        return

    if kind.startswith("copy"):
        day = a.data["day"]
        key = a.data.get("key")
        if kind == "copy_retry":
            original = me.uploads.get(a.data["pair"])
            if original is None:
                return  # the original was refused; reported there
            key = original[0]
            fields = original[2]
        else:
            width, height = rng.choice(args.sizes)
            comment = f"soak {me.id} day {day} {a.data['nonce']}".encode()
            photo = jpeg(width, height, random.Random(a.data["nonce"]), comment)
            fields = [("campaign", args.campaign.encode(), None), ("day", str(day).encode(), None), ("photo", photo, "day.jpg")]
        boundary = "----soak" + uuid.uuid4().hex  # a new boundary for every request, retries too
        headers = {"Authorization": f"Bearer {me.token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
        if key:
            headers["Idempotency-Key"] = key
        answer = client.request("POST", "/api/copies", multipart(fields, boundary), headers)
        results.record(kind, answer)
        value = as_json(answer)
        if kind == "copy_future":
            if answer.status != 409:
                results.wrong(f"copy_future {me.id} day {day}: {answer.status} {answer.body[:200]!r}")
            with results.lock:
                results.refused_copies.add((me.id, day))
            return
        if kind == "copy_retry":
            if original[0] in me.kept:
                check_replay(me, key, answer, kind, results)
            elif answer.status != 201:
                results.wrong(f"copy_retry {me.id}: {answer.status} {answer.body[:200]!r}")
        elif answer.status != 201:
            results.wrong(f"copy {me.id} day {day}: {answer.status} {answer.body[:200]!r}")
            return
        if kind == "copy":
            me.uploads[a.seq] = (key or uuid.uuid4().hex, day, fields)
            if key:
                me.kept[key] = (answer.status, answer.body)
        if answer.status == 201 and kind == "copy":  # a replay changes nothing stored
            copy = value.get("copy", {})
            with results.lock:
                results.copies[(me.id, day)] = {
                    "photo_key": photo_key(copy.get("url", "")),
                    "thumb_key": photo_key(copy.get("thumb_url", "")),
                    "width": copy.get("width"),
                    "height": copy.get("height"),
                }
        return
    raise ValueError(kind)


def check_replay(me: Member, key: str, answer: Answer, kind: str, results: Results) -> None:
    original = me.kept.get(key)
    if original is None:
        return  # the original was refused; reported there
    if not answer.replayed or (answer.status, answer.body) != original:
        results.wrong(
            f"{kind} {me.id}: a retry with the same key answered {answer.status} "
            f"(replayed: {answer.replayed}) {answer.body[:160]!r}, first {original[0]} {original[1][:160]!r}"
        )


def worker(actions: list[Action], members: dict[str, Member], start: float, args, results: Results, seed: int) -> None:
    client = Client(args.base)
    rng = random.Random(seed)
    for a in actions:
        delay = start + a.at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif -delay > results.max_lag:
            results.max_lag = -delay
        try:
            run_action(client, members[a.member], a, args, results, rng)
        except Exception as e:  # a bug of this script must not pass as a server problem
            results.wrong(f"{a.kind} {a.member}: the driver failed: {e!r}")


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def sampler(pid: int, start: float, stop: threading.Event, samples: list, results: Results) -> None:
    while True:
        samples.append((time.monotonic() - start, rss_kib(pid), results.sent))
        if stop.wait(5.0):
            samples.append((time.monotonic() - start, rss_kib(pid), results.sent))
            return


def login(members: list[Member], args, results: Results) -> None:
    def go(chunk: list[Member]) -> None:
        client = Client(args.base)
        for m in chunk:
            body = json.dumps({"member_id": m.id, "code": m.code}).encode()
            answer = client.request("POST", "/api/session", body, {"Content-Type": "application/json"})
            results.record("session", answer)
            if answer.status != 200:
                results.wrong(f"login {m.id}: {answer.status} {answer.body[:200]!r}")
                continue
            m.token = as_json(answer).get("token", "")

    threads = [threading.Thread(target=go, args=(members[i :: args.workers],)) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# ------------------------------------------------------------------------------------------------
# Checking what was stored


def admin_get(client: Client, token: str, path: str) -> dict:
    answer = client.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    if answer.status != 200:
        raise RuntimeError(f"GET {path}: {answer.status} {answer.body[:200]!r}")
    return as_json(answer)


def checks(args, results: Results, admin: Member) -> list[tuple[str, bool, str]]:
    out: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str) -> None:
        out.append((name, bool(ok), detail))

    check("no unexpected answer", not results.unexpected, f"{len(results.unexpected)} unexpected")

    # Through the admin API.
    client = Client(args.base)
    event = admin_get(client, admin.token, f"/api/events/{args.event}/signins")
    api_signins = {s["member_id"]: s for s in event.get("signins", [])}
    check(
        "API: sign-ins = accepted sign-ins",
        set(api_signins) == set(results.signins),
        f"{len(api_signins)} listed, {len(results.signins)} accepted",
    )
    queue = admin_get(client, admin.token, "/api/notes?status=pending")
    api_notes = {n["id"] for n in queue.get("notes", []) if n.get("page") == args.note_page}
    check("API: pending notes = accepted notes", api_notes == set(results.notes), f"{len(api_notes)} listed, {len(results.notes)} accepted")
    progress = admin_get(client, admin.token, f"/api/campaigns/{args.campaign}/progress")
    api_days = {(m["member_id"], d) for m in progress.get("members", []) for d in m.get("days", [])}
    check("API: campaign days = accepted days", api_days == set(results.copies), f"{len(api_days)} listed, {len(results.copies)} accepted")

    # In the SQLite file itself (read-only; the server keeps running).
    db = sqlite3.connect(f"file:{Path(args.data) / 'zhibu.sqlite'}?mode=ro", uri=True)
    rows = db.execute("SELECT member_id, at FROM signins WHERE event = ?", (args.event,)).fetchall()
    stored = collections.Counter(m for m, _ in rows)
    check("store: each accepted sign-in once", stored == collections.Counter(results.signins.keys()), f"{len(rows)} rows, {len(results.signins)} accepted")
    same_time = all(results.signins[m] and results.signins[m].get("at") == at for m, at in rows if m in results.signins)
    check("store: sign-in times as first answered", same_time, "")

    rows = db.execute("SELECT id, member_id, body FROM notes WHERE page = ?", (args.note_page,)).fetchall()
    ids = collections.Counter(i for i, _, _ in rows)
    check("store: each accepted note once", ids == collections.Counter(results.notes.keys()), f"{len(rows)} rows, {len(results.notes)} accepted")
    same = all(results.notes.get(i, {}).get("member") == m and results.notes[i]["body"] == b for i, m, b in rows)
    check("store: notes' authors and bodies as sent", same, "")
    short = db.execute("SELECT count(*) FROM notes WHERE page = ? AND body = ?", (args.note_page, "太短了")).fetchone()[0]
    check("store: no refused note", short == 0, f"{short} too-short notes stored")

    rows = db.execute("SELECT member_id, day, photo_key, thumb_key FROM copies WHERE campaign = ?", (args.campaign,)).fetchall()
    stored_days = collections.Counter((m, d) for m, d, _, _ in rows)
    check("store: one copy per accepted day", stored_days == collections.Counter(results.copies.keys()), f"{len(rows)} rows, {len(results.copies)} accepted days")
    last = all(results.copies.get((m, d), {}).get("photo_key") == p and results.copies[(m, d)]["thumb_key"] == t for m, d, p, t in rows)
    check("store: each day holds its last accepted photo", last, "")
    refused = [k for k in results.refused_copies if k in stored_days]
    check("store: no refused (future) day", not refused, f"{len(refused)} stored")
    blobs = Path(args.data) / "blobs"
    files = {str(p.relative_to(blobs)) for p in blobs.rglob("*") if p.is_file() and f"/{args.campaign}/" in f"/{p.relative_to(blobs)}"}
    wanted = {k for _, _, p, t in rows for k in (p, t)}
    check("blobs: exactly the stored photos and thumbnails", files == wanted, f"{len(files)} files, {len(wanted)} expected ({len(files - wanted)} extra, {len(wanted - files)} missing)")
    db.close()
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's process id (memory samples)")
    ap.add_argument("--data", required=True, help="the server's data folder (zhibu.sqlite, blobs/)")
    ap.add_argument("--codes", required=True, help="codes CSV written by `zhibu members import`")
    ap.add_argument("--admin", required=True, help="id of an admin in the roster")
    ap.add_argument("--event", required=True)
    ap.add_argument("--campaign", required=True)
    ap.add_argument("--open-days", type=int, default=5, help="campaign days open today (1..N)")
    ap.add_argument("--note-page", required=True)
    ap.add_argument("--pages", required=True, help="file of site paths to read, one a line")
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--rate", type=float, default=50, help="requests per second, all kinds")
    ap.add_argument("--workers", type=int, default=16, help="concurrent connections")
    ap.add_argument("--notes-per-member", type=int, default=3)
    ap.add_argument("--copies-per-member", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", help="write the figures as JSON here too")
    args = ap.parse_args()
    # Paths as sent on the wire: taxonomy terms and heading anchors keep Chinese.
    args.page_list = [urllib.parse.quote(p, safe="/%?=&") for p in Path(args.pages).read_text().split() if p] or ["/"]
    args.sizes = [(640, 480), (480, 640), (800, 600), (320, 240)]
    rng = random.Random(args.seed)

    with open(args.codes, encoding="utf-8-sig", newline="") as f:
        everyone = {row["id"]: Member(row["id"], row["code"]) for row in csv.DictReader(f)}
    if args.admin not in everyone:
        sys.exit(f"the admin {args.admin} is not in {args.codes}")
    results = Results()
    t0 = time.monotonic()
    login(list(everyone.values()), args, results)
    print(f"logged in {sum(1 for m in everyone.values() if m.token)} of {len(everyone)} in {time.monotonic() - t0:.1f} s", flush=True)
    admin = everyone[args.admin]
    members = sorted(m for m in everyone if m != args.admin and everyone[m].token)

    actions = plan(members, args, rng)
    by_worker: list[list[Action]] = [[] for _ in range(args.workers)]
    index = {m: i % args.workers for i, m in enumerate(members)}
    for a in actions:
        by_worker[index[a.member]].append(a)
    for w in by_worker:
        w.sort()
    print(f"{len(actions)} requests over {args.seconds:.0f} s ({len(actions) / args.seconds:.1f}/s) from {len(members)} members on {args.workers} connections", flush=True)

    samples: list[tuple[float, int | None, int]] = []
    stop = threading.Event()
    start = time.monotonic()
    threading.Thread(target=sampler, args=(args.pid, start, stop, samples, results), daemon=True).start()
    threads = [threading.Thread(target=worker, args=(w, everyone, start, args, results, args.seed * 1000 + i)) for i, w in enumerate(by_worker)]
    for t in threads:
        t.start()
    progress_every = max(30.0, args.seconds / 10)
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(timeout=progress_every / len(threads))
        elapsed = time.monotonic() - start
        if samples:
            print(f"  {elapsed:5.0f} s  {results.sent:6d} answers  RSS {(samples[-1][1] or 0) / 1024:.1f} MiB  unexpected {len(results.unexpected)}", flush=True)
    elapsed = time.monotonic() - start
    stop.set()
    time.sleep(0.1)

    verdicts = checks(args, results, admin)

    # Memory: flat when the second half's peak is within 25% (or 16 MiB) of the first half's.
    # The first minutes are warm-up (the allocator's arenas grow to what photo decoding needs,
    # then stay); a leak keeps climbing through the second half.
    rss = [(t, r / 1024) for t, r, _ in samples if r is not None]
    first = max((r for t, r in rss if t <= elapsed / 2), default=float("nan"))
    second = max((r for t, r in rss if t > elapsed / 2), default=float("nan"))
    flat = second <= max(first * 1.25, first + 16)
    verdicts.append(("memory flat (peak of the second half vs the first)", flat, f"{first:.1f} → {second:.1f} MiB"))

    # The report.
    all_lat = [x for kind, v in results.latencies.items() if kind != "session" for x in v]
    print()
    print(f"duration {elapsed:.1f} s, {results.sent} requests ({sum(len(v) for k, v in results.latencies.items() if k != 'session') / elapsed:.1f}/s after logins), largest schedule lag {results.max_lag:.2f} s")
    print()
    print("| kind | requests | statuses | p50 ms | p99 ms | max ms |")
    print("|---|--:|---|--:|--:|--:|")
    for kind in sorted(results.latencies):
        lat = results.latencies[kind]
        codes = ", ".join(f"{s}×{n}" for s, n in sorted(results.statuses[kind].items()))
        print(f"| {kind} | {len(lat)} | {codes} | {percentile(lat, 50) * 1000:.1f} | {percentile(lat, 99) * 1000:.1f} | {max(lat) * 1000:.1f} |")
    print(f"| all but logins | {len(all_lat)} | | {percentile(all_lat, 50) * 1000:.1f} | {percentile(all_lat, 99) * 1000:.1f} | {max(all_lat, default=0) * 1000:.1f} |")
    errors = collections.Counter()
    for kind, counter in results.statuses.items():
        for status, n in counter.items():
            if not 200 <= status < 300:
                errors[status] += n
    print()
    print("non-2xx answers by status (409/422 are the deliberate refusals):", dict(sorted(errors.items())) or "none")
    print(f"accepted: {len(results.signins)} sign-ins, {len(results.notes)} notes, {len(results.copies)} campaign days")
    if rss:
        print(f"server RSS: start {rss[0][1]:.1f} MiB, peak {max(r for _, r in rss):.1f} MiB, end {rss[-1][1]:.1f} MiB ({len(rss)} samples)")
    for message in results.unexpected[:20]:
        print("  unexpected:", message)
    print()
    for name, ok, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{'  (' + detail + ')' if detail else ''}")
    passed = all(ok for _, ok, _ in verdicts)
    print()
    print("SOAK PASS" if passed else "SOAK FAIL")
    if args.report:
        Path(args.report).write_text(
            json.dumps(
                {
                    "seconds": elapsed,
                    "requests": results.sent,
                    "statuses": {k: dict(v) for k, v in results.statuses.items()},
                    "latency_ms": {k: {"p50": percentile(v, 50) * 1000, "p99": percentile(v, 99) * 1000} for k, v in results.latencies.items()},
                    "rss_mib": [[round(t, 1), round(r, 1)] for t, r in rss],
                    "checks": [{"name": n, "pass": ok, "detail": d} for n, ok, d in verdicts],
                    "unexpected": results.unexpected[:100],
                },
                indent=1,
                ensure_ascii=False,
            )
        )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
