#!/usr/bin/env python3
"""Measurements for the server hardening (issue 9), loopback only and bounded in time.

  storm  BIN  one client searching for 10 s alone, then with 16 clients sending wrong passwords
  storm-spread BIN  the same with each wrong-password client on its own address (127.0.0.2-17),
              so no per-client back-off helps: only the bounded password checks do
  upload BIN  the server's peak RSS (VmHWM) while one 200 MiB object is uploaded
  sync   BIN [--synchronous MODE]  object creates and bulkCreation throughput

Each starts `BIN serve --demo` on a free port in a temporary data directory and stops it.
Needs Python 3 with `requests`. Run the old and the new binary in the same session.
"""

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

SECONDS = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, extra=(), users=None):
        self.dir = tempfile.TemporaryDirectory()
        self.port = free_port()
        args = [binary, "serve", "--demo", "--listen", f"127.0.0.1:{self.port}", "--data", self.dir.name, *extra]
        if users:
            args += ["--users", users]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        kv = {}
        while len(kv) < 4:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server did not start")
            k, v = line.rstrip("\n").split(": ", 1)
            kv[k] = v
        self.base, self.user, self.password = kv["nms_base"], kv["user"], kv["password"]

    def vm_hwm(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.dir.cleanup()


def storm(binary, spread=False):
    with tempfile.TemporaryDirectory() as d:
        h = subprocess.run([binary, "serve", "--hash-password"], input="right-password\n", capture_output=True,
                           text=True, check=True).stdout.strip()
        users = os.path.join(d, "users.toml")
        with open(users, "w") as f:
            f.write(f'[[user]]\nname = "victim"\npassword_hash = "{h}"\nboxes = ["tel:+15550009999"]\n')
        srv = Server(binary, users=users)
        try:
            victim_base = srv.base.replace("tel%3A%2B15550001111", "tel%3A%2B15550009999")
            s = requests.Session()
            s.auth = (srv.user, srv.password)
            for i in range(20):
                s.post(f"{srv.base}/objects", json={"object": {"parentFolderPath": "/s", "attributes": {
                    "attribute": [{"name": "Subject", "value": [f"m{i}"]}]}, "flags": {"flag": []}}})

            def searches(stop):
                n = 0
                body = {"selectionCriteria": {"maxEntries": 10}}
                while not stop.is_set():
                    r = s.post(f"{srv.base}/objects/operations/search", json=body)
                    if r.status_code == 200:
                        n += 1
                return n

            def spread_attacker(stop, counts, i):
                host, port = "127.0.0.1", srv.port
                path = victim_base.split(f"{port}", 1)[1] + "/folders/operations/pathToId"
                auth = "Basic " + base64.b64encode(f"victim:wrong-{i}".encode()).decode()
                n = 0
                conn = None
                while not stop.is_set():
                    try:
                        if conn is None:
                            conn = http.client.HTTPConnection(host, port, timeout=10,
                                                              source_address=(f"127.0.0.{2 + i}", 0))
                        conn.request("GET", path, headers={"Authorization": auth})
                        conn.getresponse().read()
                        n += 1
                    except (OSError, http.client.HTTPException):
                        conn = None
                counts[i] = n

            def attacker(stop, counts, i):
                a = requests.Session()
                a.auth = ("victim", f"wrong-{i}")
                n = 0
                while not stop.is_set():
                    try:
                        a.get(f"{victim_base}/folders/operations/pathToId", timeout=10)
                        n += 1
                    except requests.RequestException:
                        pass
                counts[i] = n

            stop = threading.Event()
            timer = threading.Timer(SECONDS, stop.set)
            timer.start()
            alone = searches(stop)
            stop = threading.Event()
            counts = [0] * 16
            target = spread_attacker if spread else attacker
            threads = [threading.Thread(target=target, args=(stop, counts, i)) for i in range(16)]
            for t in threads:
                t.start()
            time.sleep(0.5)
            timer = threading.Timer(SECONDS, stop.set)
            timer.start()
            during = searches(stop)
            for t in threads:
                t.join()
            print(json.dumps({"binary": binary, "spread": spread, "searches_alone_10s": alone, "searches_during_storm_10s": during,
                              "wrong_password_answers_10s": sum(counts)}))
        finally:
            srv.stop()


def upload(binary, mib=200):
    srv = Server(binary, extra=["--max-body", f"{mib + 16}M"])
    try:
        outer, inner = "outer-boundary-x", "inner-boundary-y"
        root = json.dumps({"object": {"parentFolderPath": "/big", "attributes": {"attribute": [
            {"name": "Message-Context", "value": ["multimedia-message"]}]}, "flags": {"flag": []}}})
        body = b"".join([
            f"--{outer}\r\nContent-Disposition: form-data; name=\"root-fields\"\r\n"
            f"Content-Type: application/json\r\n\r\n{root}\r\n".encode(),
            f"--{outer}\r\nContent-Disposition: form-data; name=\"attachments\"\r\n"
            f"Content-Type: multipart/mixed; boundary={inner}\r\n\r\n".encode(),
            f"--{inner}\r\nContent-Type: application/octet-stream\r\n\r\n".encode(),
            b"z" * (mib << 20),
            f"\r\n--{inner}--\r\n\r\n--{outer}--\r\n".encode(),
        ])
        before = srv.vm_hwm()
        t = time.time()
        r = requests.post(f"{srv.base}/objects", data=body, auth=(srv.user, srv.password),
                          headers={"Content-Type": f"multipart/form-data; boundary={outer}"}, timeout=300)
        took = time.time() - t
        print(json.dumps({"binary": binary, "status": r.status_code, "upload_mib": mib,
                          "vm_hwm_before_mib": before >> 20, "vm_hwm_after_mib": srv.vm_hwm() >> 20,
                          "seconds": round(took, 2)}))
    finally:
        srv.stop()


def sync(binary, extra):
    srv = Server(binary, extra=extra)
    try:
        s = requests.Session()
        s.auth = (srv.user, srv.password)
        n = 300
        t = time.time()
        for i in range(n):
            r = s.post(f"{srv.base}/objects", json={"object": {"parentFolderPath": "/p", "attributes": {
                "attribute": [{"name": "Subject", "value": [f"m{i}"]}]}, "flags": {"flag": []}}})
            assert r.status_code == 201, r.text
        puts = n / (time.time() - t)
        batches, per = 20, 50
        t = time.time()
        for b in range(batches):
            objs = [{"parentFolderPath": "/b", "attributes": {"attribute": [{"name": "Subject",
                     "value": [f"b{b}-{i}"]}]}, "flags": {"flag": []}} for i in range(per)]
            r = s.post(f"{srv.base}/objects/operations/bulkCreation", json={"objectList": {"object": objs}})
            assert r.status_code in (200, 201), r.text
        bulk = batches * per / (time.time() - t)
        print(json.dumps({"binary": binary, "args": extra, "creates_per_s": round(puts, 1),
                          "bulk_created_objects_per_s": round(bulk, 1)}))
    finally:
        srv.stop()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    cmd, binary = sys.argv[1], sys.argv[2]
    if cmd == "storm":
        storm(binary)
    elif cmd == "storm-spread":
        storm(binary, spread=True)
    elif cmd == "upload":
        upload(binary)
    elif cmd == "sync":
        sync(binary, sys.argv[3:])
    else:
        raise SystemExit(__doc__)
