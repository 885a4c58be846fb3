#!/usr/bin/env python3
"""Load benchmark driver, started by load.sh once h2load, curl and python3 are installed.

Builds Release, starts the recommendation service (its own temp data directory, a free port, HTTP/2 cleartext) and the
bare echo gRPC server, then runs h2load against Recommend and Echo interleaved (echo, sized echo, recommend, then the
reverse, ...) so all see the same machine noise. The sized echo is the same bare server answering with as many bytes as
Recommend's response: it separates what the response's size costs the transport from what the service's own work costs.
Request bodies come from AlkPlatform.LoadRequests, which builds them from the contract's generated messages. Reports
ratios against the echo and the sized echo, server CPU-us per call from /proc/<pid>/stat, latency percentiles from
h2load's per-request log, the service's own count of non-OK gRPC statuses, evaluation-log rows, a publish-under-load run
and a working-set soak. See perf/README.md.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PROJECT = ROOT / "services/AlkPlatform.Recommendations/AlkPlatform.Recommendations.csproj"
ECHO_PROJECT = ROOT / "perf/AlkPlatform.EchoServer/AlkPlatform.EchoServer.csproj"
REQUESTS_PROJECT = ROOT / "perf/AlkPlatform.LoadRequests/AlkPlatform.LoadRequests.csproj"
IDENTITY_PROJECT = ROOT / "portal/AlkPlatform.LocalIdentity/AlkPlatform.LocalIdentity.csproj"
SINK_PROJECT = ROOT / "perf/AlkPlatform.OtlpSink/AlkPlatform.OtlpSink.csproj"
# The local identity provider's app registrations (portal/AlkPlatform.LocalIdentity/appsettings.json).
TENANT_ID = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f"
SERVICE_CLIENT_ID = "3c9e1d7a-5b2f-4e8c-a1d0-7f6e5d4c3b2a"
EHR_DEMO_APP_ID = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"
# With --authentication: the service's URL prefix and the header every call to it carries (the EHR demo app's token).
SERVICE_AUTH = {"prefix": None, "header": None}
# With --telemetry: the sink's counts once it has stopped.
TELEMETRY = {"on": False, "counts": None}
CLK_TCK = os.sysconf("SC_CLK_TCK")

# The service's targets; the ratio targets are against the bare echo (perf/README.md explains why the sized echo is the
# reference baseline).
TARGET_THROUGHPUT_RATIO = 0.75
TARGET_CPU_RATIO = 1.6
TARGET_P50_1X1_MS = 0.3
TARGET_P99_1X1_MS = 1.0
TARGET_P99_16X16_MS = 3.0
TARGET_P99_RATIO_16X16 = 2.0
TARGET_PUBLISH_MS = 1000.0
TARGET_WORKING_SET_MB = 256.0


class Report:
    """The markdown report, echoed to the console as it grows, with the target rows and correctness failures."""

    def __init__(self):
        self.lines = []
        self.targets = []
        self.failures = []

    def say(self, line=""):
        print(line, flush=True)
        self.lines.append(line)


class Server:
    def __init__(self, name, directory, exe, args, log_path, environment=None):
        self.name = name
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([str(directory / exe), *args], cwd=directory, stdout=self.log,
                                     stderr=subprocess.STDOUT, env={**os.environ, **(environment or {})})

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Bench:
    """The two servers under load and the request bodies sent to them."""

    def __init__(self, workdir, data_dir, service, echo, service_url, echo_url, requests):
        self.workdir, self.data_dir = workdir, data_dir
        self.service, self.echo = service, echo
        self.recommend_url = service_url + requests["recommend_path"]
        self.echo_url = echo_url + requests["echo_path"]
        self.service_url, self.echo_server_url = service_url, echo_url
        self.requests = requests
        self.rec_body, self.echo_body = workdir / "recommend.bin", workdir / "echo.bin"
        self.sized_body = workdir / "echo-sized.bin"
        self.identity = None
        self.sink = None


def output_dir(project):
    return project.parent / "bin/Release/net10.0"


def auth_args(url):
    """The authorization header for a call to the service when it runs with authentication; nothing otherwise."""
    if SERVICE_AUTH["prefix"] and url.startswith(SERVICE_AUTH["prefix"]):
        return ["-H", SERVICE_AUTH["header"]]
    return []


def build(telemetry=False):
    for project in (SERVICE_PROJECT, ECHO_PROJECT, REQUESTS_PROJECT, IDENTITY_PROJECT) + ((SINK_PROJECT,) if telemetry else ()):
        subprocess.run(["dotnet", "build", str(project), "-c", "Release", "-v", "quiet", "-nologo"], check=True)


def write_request_bodies(workdir, echo_response_bytes=0):
    """Writes the framed bodies into workdir (the sized echo's too, when its size is given) and returns what the
    request writer says about them: the RPC paths, the Recommend request's size, the log's number for Recommend."""
    args = [str(output_dir(REQUESTS_PROJECT) / "AlkPlatform.LoadRequests"), str(workdir)]
    if echo_response_bytes:
        args += ["--echo-response-bytes", str(echo_response_bytes)]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def response_size(url, body_file):
    """Bytes of one unary gRPC response message (the body less its 5-byte frame header)."""
    out = subprocess.run(["curl", "-sS", "--http2-prior-knowledge", "--max-time", "30", "-H", "content-type: application/grpc",
                          "-H", "te: trailers", *auth_args(url), "--data-binary", f"@{body_file}", url], capture_output=True, check=True)
    if len(out.stdout) < 5:
        raise SystemExit(f"no gRPC response from {url}")
    return len(out.stdout) - 5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])  # utime + stime, fields 14 and 15


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def curl(url, method="GET"):
    out = subprocess.run(["curl", "-sS", "--http2-prior-knowledge", "-X", method, "--max-time", "30", url],
                         capture_output=True, text=True, check=True)
    return out.stdout


def wait_ready(url, server, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.proc.poll() is not None:
            raise SystemExit(f"{server.name} exited early; see its log")
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--http2-prior-knowledge",
                            "--max-time", "2", url], capture_output=True, text=True)
        if r.stdout.strip() not in ("", "000"):
            return
        time.sleep(0.25)
    raise SystemExit(f"{server.name} did not start listening within {seconds}s")


def h2load(url, body_file, connections, streams, seconds, log_file=None, rps_per_client=0):
    args = ["h2load", "-c", str(connections), "-m", str(streams), "-t", "1", "-D", str(seconds),
            "-d", str(body_file), "-H", "content-type: application/grpc", "-H", "te: trailers", *auth_args(url), url]
    if rps_per_client > 0:
        args[1:1] = [f"--rps={rps_per_client}"]
    if log_file:
        args[1:1] = ["--log-file", str(log_file)]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"h2load failed:\n{out.stdout}\n{out.stderr}")
    return parse_h2load(out.stdout)


def parse_h2load(text):
    result = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("finished in"):
            result["rps"] = float(line.split(",")[1].split()[0])
        elif line.startswith("requests:"):
            words = line.replace(",", "").split()
            result["total"] = int(words[1])
            result["done"] = int(words[5])
            result["succeeded"] = int(words[7])
            result["failed"] = int(words[9])
            result["errored"] = int(words[11])
        elif line.startswith("status codes:"):
            words = line.replace(",", "").split()
            result["2xx"] = int(words[2])
    if "rps" not in result:
        raise SystemExit("could not parse h2load output:\n" + text)
    return result


def latencies_us(log_file):
    values = []
    with open(log_file) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "200":
                values.append(int(parts[2]))
    values.sort()
    return values


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def measured_run(target, url, body, conns, streams, seconds, workdir, tag, rps_per_client=0):
    log_file = workdir / f"{tag}.log"
    before = cpu_ticks(target.pid)
    stats = h2load(url, body, conns, streams, seconds, log_file, rps_per_client)
    after = cpu_ticks(target.pid)
    lat = latencies_us(log_file)
    log_file.unlink()
    calls = max(stats["succeeded"], 1)
    stats["cpu_us_per_call"] = (after - before) * 1e6 / CLK_TCK / calls
    stats["p50_ms"] = percentile(lat, 50) / 1000
    stats["p99_ms"] = percentile(lat, 99) / 1000
    stats["p999_ms"] = percentile(lat, 99.9) / 1000
    return stats


def calls_by_status(bench):
    counts = json.loads(curl(bench.service_url + "/diagnostics/calls"))
    return counts.get(bench.requests["recommend_path"], {})


def evaluation_log_rows(bench):
    """Recommend rows in the service's evaluation log (table evaluation_logs); None without one."""
    method = bench.requests["recommend_log_method"]
    for db in sorted(Path(bench.data_dir).glob("*.db")):
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
            tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
            if "evaluation_logs" in tables:
                n = con.execute("select count(*) from evaluation_logs where method = ?", (method,)).fetchone()[0]
                con.close()
                return n, f"{db.name}:evaluation_logs"
            con.close()
        except sqlite3.Error:
            continue
    return None, None


def start_identity(workdir):
    """The local identity provider on a free https port with a certificate made for this run, and the EHR demo app's
    secret; returns the server, its origin and the certificate (for the service's and curl's trust) and the secret."""
    cert, key = workdir / "identity-cert.pem", workdir / "identity-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    secret = os.urandom(24).hex()
    origin = f"https://127.0.0.1:{free_port()}"
    identity = Server("identity", output_dir(IDENTITY_PROJECT), "AlkPlatform.LocalIdentity", [
        f"--urls={origin}", f"--Kestrel:Certificates:Default:Path={cert}", f"--Kestrel:Certificates:Default:KeyPath={key}",
        f"--LocalIdentity:Clients:ehr-demo-app:ClientSecret={secret}", "--Logging:LogLevel:Default=Warning"],
        workdir / "identity.log", environment={"ASPNETCORE_ENVIRONMENT": "Development"})
    return identity, origin, cert, secret


def fetch_token(origin, cert, secret, seconds=60):
    """A client-credentials app token of the EHR demo app for the service, from the provider's token endpoint."""
    deadline = time.time() + seconds
    while True:
        out = subprocess.run(["curl", "-sS", "--cacert", str(cert), "--max-time", "10", f"{origin}/{TENANT_ID}/oauth2/v2.0/token",
                              "-d", "grant_type=client_credentials", "-d", f"client_id={EHR_DEMO_APP_ID}", "-d", f"client_secret={secret}",
                              "-d", f"scope=api://{SERVICE_CLIENT_ID}/.default"], capture_output=True, text=True)
        if out.returncode == 0 and "access_token" in out.stdout:
            return json.loads(out.stdout)["access_token"]
        if time.time() > deadline:
            raise SystemExit(f"no token from the local identity provider: {out.stdout} {out.stderr}")
        time.sleep(0.25)


def start_sink(workdir):
    """The OTLP/gRPC sink (perf/AlkPlatform.OtlpSink) on a free port: a real receiver, so the service's exporters
    serialise and send everything they would send to a collector. Returns the server and its endpoint."""
    port = free_port()
    sink = Server("otlp-sink", output_dir(SINK_PROJECT), "AlkPlatform.OtlpSink", ["--port", str(port)], workdir / "otlp-sink.log")
    deadline = time.time() + 60
    while "listening" not in (workdir / "otlp-sink.log").read_text():
        if sink.proc.poll() is not None or time.time() > deadline:
            raise SystemExit("the OTLP sink did not start: " + (workdir / "otlp-sink.log").read_text())
        time.sleep(0.1)
    return sink, f"http://127.0.0.1:{port}"


def sink_counts(workdir):
    """The sink's last line: what it received, as JSON."""
    for line in reversed((workdir / "otlp-sink.log").read_text().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def start_servers(workdir, authentication=False, telemetry=False):
    """The service (benchmark hooks on) and the echo server on free ports, each with its log in workdir. Without
    authentication the service runs as README's Development default (anonymous, loopback only); with it, in Production
    against the local identity provider, every call carrying a real app token. With telemetry, the service traces every
    call and exports traces, metrics and logs over OTLP/gRPC to the sink (its defaults: batched spans, metrics every 60 s)."""
    data_dir = workdir / "data"
    svc_port, echo_port = free_port(), free_port()
    service_url, echo_url = f"http://127.0.0.1:{svc_port}", f"http://127.0.0.1:{echo_port}"
    requests = write_request_bodies(workdir)
    args = [f"--Kestrel:Endpoints:Grpc:Url={service_url}", "--Kestrel:Endpoints:Grpc:Protocols=Http2",
            f"--Storage:DataDirectory={data_dir}", "--Diagnostics:BenchmarkHooks=true", "--Logging:LogLevel:Default=Warning",
            # h2load is one caller: the per-app rate limit would measure the limiter, not the service.
            "--RateLimits:TokenLimit=100000000", "--RateLimits:TokensPerPeriod=100000000"]
    environment = {"ASPNETCORE_ENVIRONMENT": "Development"}
    identity = None
    sink = None
    if telemetry:
        sink, endpoint = start_sink(workdir)
        args += [f"--OpenTelemetry:Otlp:Endpoint={endpoint}"]
        TELEMETRY["on"] = True
    if authentication:
        identity, origin, cert, secret = start_identity(workdir)
        args += [f"--AzureAd:Instance={origin}/", f"--AzureAd:TenantId={TENANT_ID}", f"--AzureAd:ClientId={SERVICE_CLIENT_ID}",
                 f"--AzureAd:Audience={SERVICE_CLIENT_ID}"]
        environment = {**environment, "ASPNETCORE_ENVIRONMENT": "Production", "SSL_CERT_FILE": str(cert)}
        SERVICE_AUTH["prefix"] = service_url
        SERVICE_AUTH["header"] = "authorization: Bearer " + fetch_token(origin, cert, secret)
    service = Server("service", output_dir(SERVICE_PROJECT), "AlkPlatform.Recommendations", args, workdir / "service.log",
                     environment=environment)
    echo = Server("echo", output_dir(ECHO_PROJECT), "AlkPlatform.EchoServer", [
        f"--Kestrel:Endpoints:Grpc:Url={echo_url}", "--Kestrel:Endpoints:Grpc:Protocols=Http2"], workdir / "echo.log")
    bench = Bench(workdir, data_dir, service, echo, service_url, echo_url, requests)
    bench.identity = identity
    bench.sink = sink
    return bench


def wait_until_serving(bench):
    wait_ready(bench.service_url + "/diagnostics/calls", bench.service)
    wait_ready(bench.echo_server_url + "/", bench.echo)


def stop_servers(bench, keep_data):
    bench.service.stop()
    bench.echo.stop()
    if bench.identity is not None:
        bench.identity.stop()
    # After the service: it exports what it still holds as it stops.
    if bench.sink is not None:
        bench.sink.stop()
        TELEMETRY["counts"] = sink_counts(bench.workdir)
    # The soak alone writes millions of log records (12 GB for 600 s here): keep the logs, drop the database.
    if not keep_data:
        shutil.rmtree(bench.data_dir, ignore_errors=True)


def report_header(bench, report):
    report.say("# Load benchmark")
    report.say()
    report.say(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')} · {os.cpu_count()} cores · "
               f"{subprocess.run(['h2load', '--version'], capture_output=True, text=True).stdout.strip()} · "
               f"git {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()}")
    report.say(f"Recommend request: {bench.requests['recommend_request_bytes']} bytes "
               "(relapsed/refractory, no CNS disease, 70 kg, clinician)")
    report.say("Authentication: " + ("on (Production, an Entra-shaped app token from the local identity provider on every call)"
                                     if SERVICE_AUTH["header"] else "off (Development, anonymous on loopback)"))
    report.say("Telemetry: " + ("on (every call traced; traces, metrics and logs over OTLP/gRPC to perf/AlkPlatform.OtlpSink)"
                                if TELEMETRY["on"] else "off (the default: in-process meters only)"))
    report.say()


def warm_up(bench, warmup_seconds, report, rounds=3):
    """Warms both processes (JIT tiers, PGO, pools) before anything is measured, and prepares the sized echo: the bare
    server answering with Recommend's response size (see the module docstring)."""
    for _ in range(rounds):
        h2load(bench.recommend_url, bench.rec_body, 16, 16, max(1, warmup_seconds // (2 * rounds)))
        h2load(bench.echo_url, bench.echo_body, 16, 16, max(1, warmup_seconds // (2 * rounds)))
        h2load(bench.recommend_url, bench.rec_body, 1, 1, 1)
        h2load(bench.echo_url, bench.echo_body, 1, 1, 1)
    recommend_bytes = response_size(bench.recommend_url, bench.rec_body)
    write_request_bodies(bench.workdir, recommend_bytes)
    if response_size(bench.echo_url, bench.sized_body) != recommend_bytes:
        raise SystemExit("the echo server did not answer with the requested response size")
    for _ in range(rounds):
        h2load(bench.echo_url, bench.sized_body, 16, 16, max(1, warmup_seconds // (4 * rounds)))
        h2load(bench.echo_url, bench.sized_body, 1, 1, 1)
    report.say(f"Recommend response: {recommend_bytes} bytes; sized echo = the echo server answering with {recommend_bytes} bytes.")
    report.say()


def run_rounds(bench, pairs, seconds):
    """Echo, sized echo and Recommend interleaved, `pairs` times at 1×1 and at 16×16; returns the runs and how many
    Recommend calls h2load saw answered."""
    summary, recommend_answered = {}, 0
    for conns, streams in ((1, 1), (16, 16)):
        runs = {"echo": [], "sized": [], "recommend": []}
        for i in range(pairs):
            order = ("echo", "sized", "recommend") if i % 2 == 0 else ("recommend", "sized", "echo")
            for kind in order:
                if kind == "echo":
                    r = measured_run(bench.echo, bench.echo_url, bench.echo_body, conns, streams, seconds, bench.workdir, "e")
                elif kind == "sized":
                    r = measured_run(bench.echo, bench.echo_url, bench.sized_body, conns, streams, seconds, bench.workdir, "s")
                else:
                    r = measured_run(bench.service, bench.recommend_url, bench.rec_body, conns, streams, seconds,
                                     bench.workdir, "r")
                    recommend_answered += r["succeeded"]
                runs[kind].append(r)
        summary[(conns, streams)] = runs
    return summary, recommend_answered


def report_rounds(summary, report):
    """Every pair, then the medians of the within-pair ratios against the echo and against the sized echo."""
    say = report.say
    say("| config | pair | echo req/s | Recommend req/s | ratio | echo CPU-µs/call | sized echo CPU-µs/call | Recommend CPU-µs/call | CPU ratio | CPU ratio vs sized | echo p50/p99/p99.9 ms | Recommend p50/p99/p99.9 ms |")
    say("|---|---|---|---|---|---|---|---|---|---|---|---|")
    medians = {}
    for (conns, streams), runs in summary.items():
        tput, cpu, p99r, sized_cpu, sized_tput, sized_vs_echo, sized_tput_vs_echo = [], [], [], [], [], [], []
        for i, (e, s, r) in enumerate(zip(runs["echo"], runs["sized"], runs["recommend"])):
            tput.append(r["rps"] / e["rps"])
            cpu.append(r["cpu_us_per_call"] / e["cpu_us_per_call"])
            p99r.append(r["p99_ms"] / e["p99_ms"])
            sized_cpu.append(r["cpu_us_per_call"] / s["cpu_us_per_call"])
            sized_tput.append(r["rps"] / s["rps"])
            sized_vs_echo.append(s["cpu_us_per_call"] / e["cpu_us_per_call"])
            sized_tput_vs_echo.append(s["rps"] / e["rps"])
            say(f"| {conns}×{streams} | {i + 1} | {e['rps']:.0f} | {r['rps']:.0f} | {tput[-1]:.2f} | "
                f"{e['cpu_us_per_call']:.1f} | {s['cpu_us_per_call']:.1f} | {r['cpu_us_per_call']:.1f} | {cpu[-1]:.2f} | "
                f"{sized_cpu[-1]:.2f} | {e['p50_ms']:.3f}/{e['p99_ms']:.3f}/{e['p999_ms']:.3f} | "
                f"{r['p50_ms']:.3f}/{r['p99_ms']:.3f}/{r['p999_ms']:.3f} |")

        def med(kind, key):
            return statistics.median(x[key] for x in runs[kind])
        medians[(conns, streams)] = {
            "throughput_ratio": statistics.median(tput), "cpu_ratio": statistics.median(cpu),
            "p99_ratio": statistics.median(p99r), "sized_cpu_ratio": statistics.median(sized_cpu),
            "sized_throughput_ratio": statistics.median(sized_tput), "sized_vs_echo": statistics.median(sized_vs_echo),
            "sized_tput_vs_echo": statistics.median(sized_tput_vs_echo),
            "sized_cpu": med("sized", "cpu_us_per_call"), "sized_rps": med("sized", "rps"),
            "echo_cpu": med("echo", "cpu_us_per_call"), "rec_cpu": med("recommend", "cpu_us_per_call"),
            "echo_rps": med("echo", "rps"), "rec_rps": med("recommend", "rps"),
            "rec_p50": med("recommend", "p50_ms"), "rec_p99": med("recommend", "p99_ms"),
            "rec_p999": med("recommend", "p999_ms"), "echo_p99": med("echo", "p99_ms"),
            "echo_p50": med("echo", "p50_ms"), "echo_p999": med("echo", "p999_ms"),
        }
    say()
    say("Medians over the pairs (each ratio is taken within a pair, then the median of the pair ratios):")
    say()
    say("| config | echo req/s | Recommend req/s | throughput ratio | echo CPU-µs | Recommend CPU-µs | CPU ratio | echo p50/p99/p99.9 ms | Recommend p50/p99/p99.9 ms | p99 ratio |")
    say("|---|---|---|---|---|---|---|---|---|---|")
    for (conns, streams), m in medians.items():
        say(f"| {conns}×{streams} | {m['echo_rps']:.0f} | {m['rec_rps']:.0f} | {m['throughput_ratio']:.2f} | "
            f"{m['echo_cpu']:.1f} | {m['rec_cpu']:.1f} | {m['cpu_ratio']:.2f} | "
            f"{m['echo_p50']:.3f}/{m['echo_p99']:.3f}/{m['echo_p999']:.3f} | "
            f"{m['rec_p50']:.3f}/{m['rec_p99']:.3f}/{m['rec_p999']:.3f} | {m['p99_ratio']:.2f} |")
    say()
    say("Against the sized echo (same bare server, response as large as Recommend's), medians of the within-run ratios:")
    say()
    say("| config | sized echo req/s | sized echo CPU-µs | sized echo ÷ echo: throughput | sized echo ÷ echo: CPU | Recommend ÷ sized echo: throughput | Recommend ÷ sized echo: CPU |")
    say("|---|---|---|---|---|---|---|")
    for (conns, streams), m in medians.items():
        say(f"| {conns}×{streams} | {m['sized_rps']:.0f} | {m['sized_cpu']:.1f} | {m['sized_tput_vs_echo']:.2f} | {m['sized_vs_echo']:.2f} | "
            f"{m['sized_throughput_ratio']:.2f} | {m['sized_cpu_ratio']:.2f} |")
    say()
    return medians


def report_correctness(bench, baseline_counts, recommend_answered, report):
    """The measured runs' statuses as the service counted them, and the evaluation log's rows against them."""
    counts = calls_by_status(bench)
    ok = counts.get("OK", 0) - baseline_counts.get("OK", 0)
    non_ok = sum(v for k, v in counts.items() if k != "OK") - sum(v for k, v in baseline_counts.items() if k != "OK")
    report.say(f"Service-side Recommend statuses over all runs (incl. warm-up): {json.dumps(counts)}")
    report.say(f"Measured runs: h2load answered {recommend_answered} Recommend calls; the service counted {ok} OK and "
               f"{non_ok} non-OK in the same window.")
    if non_ok != 0:
        report.failures.append(f"{non_ok} non-OK gRPC statuses")
    rows, where = evaluation_log_rows(bench)
    total_ok = counts.get("OK", 0)
    if rows is None:
        report.say("Evaluation-log rows: not measurable — this build has no evaluation log yet.")
    else:
        report.say(f"Evaluation-log rows ({where}): {rows}; Recommend calls answered OK (service count): {total_ok}.")
        if rows != sum(counts.values()):
            report.failures.append(f"log rows {rows} != answered calls {sum(counts.values())}")
    report.say()
    return non_ok, rows, counts


def add_round_targets(medians, non_ok, rows, counts, report):
    m11, m16 = medians[(1, 1)], medians[(16, 16)]
    report.targets += [
        ("throughput ratio Recommend ÷ echo at 16×16 ≥ 0.75", f"{m16['throughput_ratio']:.2f}",
         m16["throughput_ratio"] >= TARGET_THROUGHPUT_RATIO),
        ("server CPU per Recommend ≤ 1.6 × echo (16×16)", f"{m16['cpu_ratio']:.2f}× ({m16['rec_cpu']:.1f} vs {m16['echo_cpu']:.1f} µs)",
         m16["cpu_ratio"] <= TARGET_CPU_RATIO),
        ("server CPU per Recommend ≤ 1.6 × echo (1×1)", f"{m11['cpu_ratio']:.2f}× ({m11['rec_cpu']:.1f} vs {m11['echo_cpu']:.1f} µs)",
         m11["cpu_ratio"] <= TARGET_CPU_RATIO),
        ("1×1 p50 ≤ 0.3 ms", f"{m11['rec_p50']:.3f} ms", m11["rec_p50"] <= TARGET_P50_1X1_MS),
        ("1×1 p99 ≤ 1 ms", f"{m11['rec_p99']:.3f} ms", m11["rec_p99"] <= TARGET_P99_1X1_MS),
        ("16×16 p99 ≤ 3 ms", f"{m16['rec_p99']:.3f} ms", m16["rec_p99"] <= TARGET_P99_16X16_MS),
        ("16×16 p99 ≤ 2 × echo p99", f"{m16['p99_ratio']:.2f}×", m16["p99_ratio"] <= TARGET_P99_RATIO_16X16),
        ("(reference, not a target) a bare call answering with Recommend's response size ÷ echo at 16×16",
         f"throughput {m16['sized_tput_vs_echo']:.2f}, CPU {m16['sized_vs_echo']:.2f}× (1×1: CPU {m11['sized_vs_echo']:.2f}×)", None),
        ("zero non-OK gRPC statuses", str(non_ok), non_ok == 0),
        ("log rows = answered calls", "n/a (no evaluation log in this build)" if rows is None else f"{rows} rows / {sum(counts.values())} calls",
         None if rows is None else rows == sum(counts.values())),
    ]


def fixed_rate_latency(bench, medians, rate_fraction, pairs, seconds, report):
    """16×16 at a fixed offered rate below saturation, the same for both servers, interleaved."""
    say = report.say
    rate = max(16, int(medians[(16, 16)]["rec_rps"] * rate_fraction))
    per_client = max(1, rate // 16)
    say(f"## Latency at a fixed offered rate (16×16, {per_client * 16} req/s = {rate_fraction:.0%} of "
        f"Recommend's saturated throughput, same rate for both)")
    say()
    say("Closed-loop 16×16 keeps 256 calls outstanding, so its latency is 256 ÷ throughput; at a fixed rate below "
        "saturation latency shows the service's own cost.")
    say()
    fixed = {"echo": [], "recommend": []}
    for i in range(pairs):
        order = ("echo", "recommend") if i % 2 == 0 else ("recommend", "echo")
        for kind in order:
            if kind == "echo":
                fixed[kind].append(measured_run(bench.echo, bench.echo_url, bench.echo_body, 16, 16, seconds, bench.workdir,
                                                "fe", per_client))
            else:
                fixed[kind].append(measured_run(bench.service, bench.recommend_url, bench.rec_body, 16, 16,
                                                seconds, bench.workdir, "fr", per_client))
    say("| pair | echo req/s | Recommend req/s | echo p50/p99/p99.9 ms | Recommend p50/p99/p99.9 ms | p99 ratio | CPU ratio |")
    say("|---|---|---|---|---|---|---|")
    ratios, cpu_ratios = [], []
    for i, (e, r) in enumerate(zip(fixed["echo"], fixed["recommend"])):
        ratios.append(r["p99_ms"] / e["p99_ms"])
        cpu_ratios.append(r["cpu_us_per_call"] / e["cpu_us_per_call"])
        say(f"| {i + 1} | {e['rps']:.0f} | {r['rps']:.0f} | {e['p50_ms']:.3f}/{e['p99_ms']:.3f}/{e['p999_ms']:.3f} | "
            f"{r['p50_ms']:.3f}/{r['p99_ms']:.3f}/{r['p999_ms']:.3f} | {ratios[-1]:.2f} | {cpu_ratios[-1]:.2f} |")
    rec_p99 = statistics.median(x["p99_ms"] for x in fixed["recommend"])
    say()
    say(f"Median Recommend p99 {rec_p99:.3f} ms; median p99 ratio {statistics.median(ratios):.2f}; "
        f"median CPU ratio {statistics.median(cpu_ratios):.2f}.")
    say()
    report.targets.append((f"16×16 at a fixed {per_client * 16} req/s: p99 ≤ 3 ms and ≤ 2 × echo p99",
                           f"{rec_p99:.3f} ms; {statistics.median(ratios):.2f}× echo",
                           rec_p99 <= TARGET_P99_16X16_MS and statistics.median(ratios) <= TARGET_P99_RATIO_16X16))


def publish_under_load(bench, seconds, report):
    """A new revision of the live content published halfway through a 16×16 run, through the service's hook."""
    say = report.say
    say("## Publish under load")
    say()
    before = calls_by_status(bench)
    result = {}
    seconds = max(seconds * 2, 6)

    def publish():
        time.sleep(seconds / 2)
        result["t"] = time.time()
        result["body"] = json.loads(curl(bench.service_url + "/diagnostics/republish", "POST"))

    t = threading.Thread(target=publish)
    t.start()
    stats = h2load(bench.recommend_url, bench.rec_body, 16, 16, seconds, bench.workdir / "publish.log")
    t.join()
    after = calls_by_status(bench)
    non_ok_pub = sum(v for k, v in after.items() if k != "OK") - sum(v for k, v in before.items() if k != "OK")
    lat = latencies_us(bench.workdir / "publish.log")
    (bench.workdir / "publish.log").unlink()
    live_ms = max(x["liveAfterMs"] for x in result["body"])
    say("A new revision of the live content is published mid-run through the service's benchmark hook "
        "(`POST /diagnostics/republish`, on only with `Diagnostics:BenchmarkHooks=true` and no feed configured): it goes "
        "through ReleaseActivator.ActivateUnsigned (hash and content check, compile, render, persist, swap), the path of a "
        "feed-delivered release minus its signature, quorum and lineage checks, which the hook's unsigned revision cannot pass. "
        "The hook stands in for the release feed (no feed server is started), so feed delivery latency is not included.")
    say()
    say(f"- published: {', '.join(x['releaseId'] for x in result['body'])}")
    say(f"- publish → live: {live_ms:.0f} ms (in-process, from the hook's start to the atomic swap)")
    say(f"- calls during the run: {stats['succeeded']} answered at {stats['rps']:.0f} req/s, "
        f"h2load failed/errored {stats['failed']}/{stats['errored']}, service-side non-OK {non_ok_pub}; "
        f"p99 {percentile(lat, 99) / 1000:.3f} ms, max {lat[-1] / 1000 if lat else float('nan'):.3f} ms")
    say()
    report.targets.append(("publish → live ≤ 1 s with 0 failed calls",
                           f"{live_ms:.0f} ms, {non_ok_pub + stats['failed'] + stats['errored']} failed",
                           live_ms <= TARGET_PUBLISH_MS and non_ok_pub + stats["failed"] + stats["errored"] == 0))
    if non_ok_pub:
        report.failures.append(f"{non_ok_pub} non-OK statuses during publish")


def soak(bench, soak_seconds, report):
    """Recommend at 16×16 for soak_seconds, sampling the service's working set about 60 times."""
    say = report.say
    say(f"## Soak ({soak_seconds} s of Recommend at 16×16)")
    say()
    samples = []
    interval = max(1.0, soak_seconds / 60.0)
    proc = subprocess.Popen(["h2load", "-c", "16", "-m", "16", "-t", "1", "-D", str(soak_seconds),
                             "-d", str(bench.rec_body), "-H", "content-type: application/grpc", "-H", "te: trailers",
                             *auth_args(bench.recommend_url), bench.recommend_url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    start = time.time()
    while proc.poll() is None:
        samples.append((time.time() - start, rss_mb(bench.service.pid)))
        time.sleep(interval)
    stats = parse_h2load(proc.stdout.read())
    samples.append((time.time() - start, rss_mb(bench.service.pid)))
    peak = max(s[1] for s in samples)
    tenth = max(1, len(samples) // 10)
    first = statistics.mean(s[1] for s in samples[tenth:2 * tenth])  # after the first tenth (ramp-up)
    last = statistics.mean(s[1] for s in samples[-tenth:])
    say(f"Working set (VmRSS) every {interval:.0f} s: " + ", ".join(f"{int(t)}s {mb:.0f}" for t, mb in samples))
    say()
    say(f"- peak {peak:.0f} MB; second tenth mean {first:.0f} MB; last tenth mean {last:.0f} MB "
        f"(drift {100 * (last - first) / first:+.1f} %); {stats['succeeded']} calls at {stats['rps']:.0f} req/s")
    say()
    flat = last <= first * 1.10
    report.targets.append(("working set ≤ 256 MB at peak and flat over the soak",
                           f"peak {peak:.0f} MB, drift {100 * (last - first) / first:+.1f} % over {soak_seconds} s",
                           peak <= TARGET_WORKING_SET_MB and flat))


def report_targets(report):
    report.say("## Targets")
    report.say()
    report.say("| target | measured | met |")
    report.say("|---|---|---|")
    for name, value, met in report.targets:
        report.say(f"| {name} | {value} | {'n/a' if met is None else ('yes' if met else 'no')} |")
    report.say()


def report_telemetry(report):
    """What the sink received: the export work the service did during the run."""
    if not TELEMETRY["on"]:
        return
    counts = TELEMETRY["counts"] or {}
    report.say("## Telemetry export")
    report.say()
    report.say(f"The sink received {counts.get('spans', '?')} spans, {counts.get('metrics', '?')} metric streams and "
               f"{counts.get('logs', '?')} log records in {counts.get('exports', '?')} OTLP exports. Spans beyond the "
               "exporter's queue (2048 by default, OTEL_BSP_MAX_QUEUE_SIZE) are dropped by design, so fewer spans than calls is expected at saturation.")
    report.say()


def write_report(report, out_dir, workdir):
    path = out_dir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text("\n".join(report.lines) + "\n")
    print(f"\nreport: {path}\nserver logs: {workdir}")
    if report.failures:
        print("CORRECTNESS FAILURES: " + "; ".join(report.failures), file=sys.stderr)
        sys.exit(1)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=5, help="interleaved echo/Recommend pairs per configuration (>= 5)")
    ap.add_argument("--seconds", type=int, default=5, help="duration of each measured h2load run")
    ap.add_argument("--soak-seconds", type=int, default=600, help="soak length (default 10 minutes)")
    ap.add_argument("--warmup-seconds", type=int, default=30,
                    help="load on each server before measuring, so tiered JIT and PGO have settled (default 30)")
    ap.add_argument("--rate-fraction", type=float, default=0.5,
                    help="also run 16x16 at a fixed offered rate, this fraction of Recommend's measured 16x16 throughput, "
                         "for latency without saturation (0 to skip)")
    ap.add_argument("--skip-soak", action="store_true")
    ap.add_argument("--skip-publish", action="store_true")
    ap.add_argument("--keep-data", action="store_true", help="keep the service's database (deleted by default; the soak makes it large)")
    ap.add_argument("--authentication", action="store_true",
                    help="run the service in Production with Entra-shaped app tokens from the local identity provider; every "
                         "call to it carries the EHR demo app's bearer token")
    ap.add_argument("--telemetry", action="store_true",
                    help="run the service with tracing and metrics on, exporting over OTLP/gRPC to a real receiver "
                         "(perf/AlkPlatform.OtlpSink), to measure what telemetry costs the hot path")
    ap.add_argument("--out", default=str(ROOT / "perf/load/results"), help="directory for the report (git-ignored by default)")
    return ap.parse_args()


def main():
    opts = parse_args()
    out_dir = Path(opts.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    build(opts.telemetry)
    workdir = Path(tempfile.mkdtemp(prefix="alk-bench-"))
    report = Report()
    bench = start_servers(workdir, opts.authentication, opts.telemetry)
    try:
        wait_until_serving(bench)
        report_header(bench, report)
        warm_up(bench, opts.warmup_seconds, report)
        baseline_counts = calls_by_status(bench)
        summary, recommend_answered = run_rounds(bench, opts.pairs, opts.seconds)
        medians = report_rounds(summary, report)
        non_ok, rows, counts = report_correctness(bench, baseline_counts, recommend_answered, report)
        add_round_targets(medians, non_ok, rows, counts, report)
        if opts.rate_fraction > 0:
            fixed_rate_latency(bench, medians, opts.rate_fraction, opts.pairs, opts.seconds, report)
        if not opts.skip_publish:
            publish_under_load(bench, opts.seconds, report)
        if not opts.skip_soak:
            soak(bench, opts.soak_seconds, report)
        report_targets(report)
    finally:
        stop_servers(bench, opts.keep_data)
    report_telemetry(report)
    write_report(report, out_dir, workdir)


if __name__ == "__main__":
    main()
