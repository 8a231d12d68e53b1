#!/usr/bin/env python3
"""Runs the libsdrs benchmarks against a local emulator and writes a Markdown report.

Called by scripts/bench (which builds first); usable alone:
  bench/run.py --build BUILD_DIR [--out FILE] [--quick] [--reps N] [--calls N]
               [--threads 1,2,4,8] [--aksk-threads 1,4] [--callgrind-runs N] [--skip-wait]
               [--skip-callgrind] [--skip-https] [--emulator PATH] [--emulator-arg ARG]...

The report is issue 20's table: per call at 1 thread, instructions and allocations of libsdrs
and of a raw libcurl loop making the same HTTP exchanges (token, and AK/SK against a raw loop
with a careful signer of its own); throughput ratios libsdrs : raw at 1..8 threads over HTTP
and HTTPS; the list and job decoders (sdrs-bench-inproc); lock contention; where the remaining
extra instructions go (callgrind). Every figure stands beside its target with met yes/no.

Throughput figures are medians of --reps interleaved runs (libsdrs and raw alternate, so load
changes on a shared machine hit both alike). Instruction counts are callgrind's, medians of
--callgrind-runs runs (a run's libcurl work varies by ~1% with how the emulator's answers
interleave with the client). Nothing is estimated without saying so: a figure that cannot be
measured here is reported as "not measured: <reason>".
"""
import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The access key pair sdrs-bench-e2e --auth aksk uses (bench/e2e.cpp kAccessKey/kSecretKey).
AKSK = "BENCHACCESSKEY0000001:bench-secret-key-0123456789abcdefghijklmn"

# Issue 20's targets.
T_EXTRA_INSTR = 6000      # extra instructions over the raw loop, token, per create and per poll
T_EXTRA_ALLOCS = 4        # extra allocations, same
T_SIGN_INSTR = 12000      # AK/SK signer, per request
T_SIGN_ALLOCS = 4
T_RATIO_1 = 0.97          # throughput libsdrs : raw at 1 thread
T_RATIO_N = 0.95          # at 2, 4, 8 threads
T_RATIO_AKSK = 0.95       # AK/SK libsdrs : raw loop with a careful signer
T_LIST_NS = 1e6           # decoding a 1,000-item list
T_LIST_ALLOCS = 100
T_JOB_INSTR = 1500        # job poll decode


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def parse_kv(line):
    out = {}
    for part in line.split():
        if "=" in part:
            k, v = part.split("=", 1)
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v
    return out


def median(values):
    values = list(values)
    return statistics.median(values) if values else float("nan")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt(v, digits=0, sign=False):
    if v is None or v != v:  # None or NaN
        return "n/a"
    return f"{v:+,.{digits}f}" if sign else f"{v:,.{digits}f}"


def yes(ok):
    return "yes" if ok else "**no**"


class Emulator:
    """An sdrs-emulator on 127.0.0.1 with a free port."""

    def __init__(self, path, args, scheme="http", ca=None):
        self.tmp = tempfile.mkdtemp(prefix="sdrs-bench-")
        self.ca = ca
        port_file = os.path.join(self.tmp, "port")
        self.err = open(os.path.join(self.tmp, "stderr"), "w+")
        self.proc = subprocess.Popen(
            [path, "--port", "0", "--port-file", port_file, "--quiet"] + args,
            stdout=subprocess.DEVNULL, stderr=self.err)
        for _ in range(100):
            if os.path.exists(port_file) or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not os.path.exists(port_file):
            self.stop()
            self.err.seek(0)
            raise RuntimeError("emulator did not start: " + self.err.read().strip()[:300])
        with open(port_file) as f:
            self.port = int(f.read())
        self.url = f"{scheme}://127.0.0.1:{self.port}"

    def admin(self, path, body=None):
        import ssl
        ctx = ssl.create_default_context(cafile=self.ca) if self.url.startswith("https") else None
        req = urllib.request.Request(self.url + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            return json.loads(r.read() or b"{}")

    def reset(self):
        self.admin("/_emulator/reset", {})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run(cmd, timeout=900):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()[:400]}")
    return r.stdout


# ---- in-process (sdrs-bench-inproc) -------------------------------------------------------------

def bench_inproc(build, reps, min_time):
    exe = os.path.join(build, "bin", "sdrs-bench-inproc")
    out = run([exe, f"--benchmark_repetitions={reps}", "--benchmark_report_aggregates_only=true",
               "--benchmark_format=json", f"--benchmark_min_time={min_time}"], timeout=1800)
    data = json.loads(out)
    rows = {}
    # With one repetition there are no aggregates: take the plain runs.
    want = "median" if any(b.get("aggregate_name") for b in data["benchmarks"]) else None
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != want:
            continue
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        rows[b["run_name"]] = {"cpu_ns": b["cpu_time"] * scale, "real_ns": b["real_time"] * scale,
                               "allocs": b.get("allocs/op", float("nan"))}
    return rows


# ---- end to end (sdrs-bench-e2e) ----------------------------------------------------------------

E2E_EXTRA = []  # --token-bytes


def bench_token(n):
    """The token sdrs-bench-e2e --token-bytes n sends (same construction)."""
    return ("bench-token-" * (n // 12 + 1))[:n]


def e2e_cmd(build, emu, mode, threads, iterations, call, auth, warmup=20, extra=()):
    cmd = [os.path.join(build, "bin", "sdrs-bench-e2e"), "--mode", mode, "--url", emu.url,
           "--threads", str(threads), "--iterations", str(iterations), "--warmup", str(warmup),
           "--call", call, "--auth", auth, "--emulator-pid", str(emu.proc.pid)] + E2E_EXTRA
    if emu.ca:
        cmd += ["--ca-file", emu.ca]
    return cmd + list(extra)


def e2e_run(build, emu, mode, threads, iterations, call, auth, extra=()):
    emu.reset()
    out = run(e2e_cmd(build, emu, mode, threads, iterations, call, auth, extra=extra))
    lines = out.strip().splitlines()
    r = parse_kv(lines[-1])
    r["lines"] = lines[:-1]
    return r


def bench_throughput(build, emu, reps, calls, threads, call, auth):
    """{"curl": [runs], "sdrs": [runs]}: interleaved runs of `calls` calls each."""
    per = {"curl": [], "sdrs": []}
    for rep in range(reps):
        for mode in (("curl", "sdrs") if rep % 2 == 0 else ("sdrs", "curl")):
            per[mode].append(e2e_run(build, emu, mode, threads, max(calls, threads), call, auth))
    return per


def ratio(per):
    """Median over reps of (libsdrs calls/s / raw calls/s) of back-to-back runs."""
    return median(b["calls_per_s"] / a["calls_per_s"] for a, b in zip(per["curl"], per["sdrs"]))


# ---- callgrind ----------------------------------------------------------------------------------

def parse_callgrind(path):
    """Self cost per (function, object) and call arcs (caller, callee) -> [calls, inclusive]."""
    names = {"fn": {}, "fl": {}, "ob": {}}
    self_cost = collections.Counter()
    arcs = collections.defaultdict(lambda: [0, 0])
    ob = "?"
    fn = ("?", "?")
    cfn = None
    pending = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^(c?)(ob|fl|fi|fe|fn)=(?:\((\d+)\))?\s*(.*)$", line)
            if m:
                called, kind, num, name = m.groups()
                table = names["fl" if kind in ("fi", "fe") else kind]
                if num and name:
                    table[num] = name
                resolved = table.get(num, name) if num else name
                if kind == "ob" and not called:
                    ob = os.path.basename(resolved)
                elif kind == "fn":
                    if called:
                        cfn = resolved
                    else:
                        fn = (resolved, ob)
                continue
            if line.startswith("calls="):
                pending = int(line[6:].split()[0])
                continue
            if line and (line[0].isdigit() or line[0] in "+-*"):
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending is not None:
                    arc = arcs[(fn[0], cfn)]
                    arc[0] += pending
                    arc[1] += cost
                    pending = None
                else:
                    self_cost[fn] += cost
    return self_cost, arcs


def inclusive(arcs, callee_re):
    """Inclusive cost of the functions matching callee_re, from their callers' arcs (callers that
    match too are left out, so recursion is not counted twice)."""
    pat = re.compile(callee_re)
    return sum(c for (caller, callee), (_, c) in arcs.items()
               if callee and pat.search(callee) and not pat.search(caller or ""))


SHORT = [(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
          "std::string"),
         (r"std::basic_string_view<char, std::char_traits<char> >", "std::string_view"),
         (r"\(anonymous namespace\)::", ""),
         (r"rapidjson::GenericReader<[^(]*", "rapidjson::GenericReader<...>::..."),
         (r"\[abi:cxx11\]", "")]


def short_name(name):
    for pat, rep in SHORT:
        name = re.sub(pat, rep, name)
    name = re.sub(r"\(.*", "", name)  # no parameter lists
    return name if len(name) <= 90 else name[:87] + "..."


def callgrind_e2e(build, emu, mode, auth, call, iterations, runs):
    """Instructions and allocations per call of one loop: the run with the median total of
    `runs` callgrind runs (only the measured loop is collected)."""
    tmp = tempfile.mkdtemp(prefix="sdrs-cg-")
    results = []
    try:
        for i in range(runs):
            out = os.path.join(tmp, f"cg.{i}")
            emu.reset()
            kv = parse_kv(run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                               "--toggle-collect=*measured_loop*"] +
                              e2e_cmd(build, emu, mode, 1, iterations, call, auth))
                          .strip().splitlines()[-1])
            self_cost, arcs = parse_callgrind(out)
            total = sum(self_cost.values())
            results.append({"total": total / iterations,
                            "allocs": kv["news_per_op"] + kv["mallocs_per_op"],
                            "news": kv["news_per_op"], "mallocs": kv["mallocs_per_op"],
                            "self": {k: v / iterations for k, v in self_cost.items()},
                            "arcs": arcs, "n": iterations})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results.sort(key=lambda r: r["total"])
    chosen = results[len(results) // 2]
    chosen["totals"] = [r["total"] for r in results]
    return chosen


def by_object(cg):
    out = collections.Counter()
    for (_, ob), v in cg["self"].items():
        out[ob] += v
    return out


def sha256_block_cost(tmp):
    """Instructions per 64-byte SHA-256 block under callgrind (valgrind hides the SHA extensions,
    so OpenSSL runs its AVX2/SSSE3 code), from `openssl dgst` over 1 MiB: the libcrypto function
    with the largest self cost, divided by the blocks hashed. Returns (instructions, function)."""
    if shutil.which("openssl") is None:
        return None, "openssl is not installed"
    data = os.path.join(tmp, "sha.bin")
    with open(data, "wb") as f:
        f.write(b"\xa5" * (1 << 20))
    out = os.path.join(tmp, "cg.sha")
    run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "openssl", "dgst",
         "-sha256", data])
    self_cost, _ = parse_callgrind(out)
    crypto = [(v, k) for k, v in self_cost.items() if k[1].startswith("libcrypto")]
    if not crypto:
        return None, "no libcrypto cost in the calibration run"
    v, (fn, _) = max(crypto)
    blocks = (1 << 20) // 64 + 1  # + the padding block
    return v / blocks, fn


def sha_ni_loop_instructions():
    """Instructions per block of OpenSSL's SHA-NI block function, counted statically: the loop of
    libcrypto that holds 32 sha256rnds2 (64 rounds) and jumps back to its start."""
    lib = None
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        p = os.path.join(d, "libcrypto.so.3")
        if os.path.exists(p):
            lib = p
            break
    if lib is None or shutil.which("objdump") is None:
        return None, "libcrypto.so.3 or objdump not found"
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", lib], capture_output=True,
                         text=True).stdout
    addr, ins = [], []
    for line in dis.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+(\S.*)$", line)
        if m:
            addr.append(int(m.group(1), 16))
            ins.append(m.group(2))
    idx = [i for i, x in enumerate(ins) if x.startswith("sha256rnds2")]
    clusters, cur = [], []
    for i in idx:
        if cur and i - cur[-1] >= 40:
            clusters.append(cur)
            cur = []
        cur.append(i)
    if cur:
        clusters.append(cur)
    where = {a: i for i, a in enumerate(addr)}
    best = None
    for c in clusters:
        if len(c) != 32:
            continue
        for j in range(c[-1], min(c[-1] + 80, len(ins))):
            m = re.match(r"j\w+\s+([0-9a-f]+)", ins[j])
            if m and int(m.group(1), 16) < addr[c[0]] and int(m.group(1), 16) in where:
                n = j - where[int(m.group(1), 16)] + 1
                # The plain block function is the shortest such loop (the stitched AES-CBC +
                # SHA-256 one also runs AES instructions in it).
                best = n if best is None else min(best, n)
                break
    if best is None:
        return None, "no SHA-NI block loop found in libcrypto"
    return best, lib


def callgrind_job_decode(build, tmp):
    """Instructions per decode_job call, over sdrs-bench-inproc's BM_DecodeJob."""
    exe = os.path.join(build, "bin", "sdrs-bench-inproc")
    out = os.path.join(tmp, "cg.job")
    run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--toggle-collect=sdrs::decode_job(*", exe, "--benchmark_filter=^BM_DecodeJob$",
         # Thousands of decodes even under valgrind: the first ones pay lazy binding.
         "--benchmark_min_time=0.2"], timeout=900)
    self_cost, arcs = parse_callgrind(out)
    calls = sum(n for (caller, callee), (n, _) in arcs.items()
                if callee and callee.startswith("sdrs::decode_job(") and
                not (caller or "").startswith("sdrs::decode_job("))
    if calls == 0:
        return None
    return sum(self_cost.values()) / calls


# ---- lock contention ---------------------------------------------------------------------------

def lock_sites(result):
    """Contended lock sites of a --locks run, resolved with addr2line."""
    sites = []
    for line in result.get("lines", []):
        if not line.startswith("lock_site "):
            continue
        kv = dict(p.split("=", 1) for p in line.split()[1:])
        name = f"{os.path.basename(kv['object'])}+{kv['offset']}"
        if shutil.which("addr2line") and os.path.exists(kv["object"]):
            r = subprocess.run(["addr2line", "-f", "-C", "-i", "-e", kv["object"], kv["offset"]],
                               capture_output=True, text=True).stdout.split("\n")
            # -i lists inlined frames innermost first: the last function is the real caller.
            funcs = [r[i] for i in range(0, len(r) - 1, 2) if r[i] and r[i] != "??"]
            if funcs:
                name = short_name(funcs[-1]) + (f" ({short_name(funcs[0])})"
                                                if len(funcs) > 1 else "")
        sites.append((name, int(kv["contended"]), float(kv["wait_us"])))
    return sorted(sites, key=lambda s: -s[1])


# ---- job waits (sdrs-bench-wait) ----------------------------------------------------------------

def bench_wait(build, emu, durations, repeats):
    out = run([os.path.join(build, "bin", "sdrs-bench-wait"), "--url", emu.url,
               "--durations", ",".join(str(d) for d in durations), "--repeats", str(repeats)],
              timeout=max(durations) * 3 + 120)
    by = {}
    for line in out.strip().splitlines():
        r = parse_kv(line)
        by.setdefault(int(r["duration_s"]), []).append(r)
    return by


def machine_info():
    model = "unknown"
    try:
        for line in run(["lscpu"]).splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except Exception:  # noqa: BLE001 - informational only
        pass
    curl = (run(["curl-config", "--version"]).strip().replace("libcurl ", "")
            if shutil.which("curl-config") else "?")
    ssl = run(["openssl", "version"]).strip() if shutil.which("openssl") else "?"
    return {"nproc": os.cpu_count(), "model": model, "kernel": os.uname().release,
            "curl": curl, "openssl": ssl,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


# ---- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out")
    ap.add_argument("--quick", action="store_true",
                    help="a short run: 3 reps of 4,000 calls, threads 1,4, one callgrind run of "
                         "150 calls per loop, no waits (figures are noisier)")
    ap.add_argument("--reps", type=int)
    ap.add_argument("--calls", type=int, help="HTTP calls per throughput run")
    ap.add_argument("--threads")
    ap.add_argument("--aksk-threads")
    ap.add_argument("--callgrind-runs", type=int)
    ap.add_argument("--callgrind-calls", type=int)
    ap.add_argument("--token-bytes", type=int, default=0,
                    help="send an IAM token of this many bytes (real ones are several KB); "
                         "default: the emulator's short default token")
    ap.add_argument("--wait-durations", default="1,10,60")
    ap.add_argument("--wait-repeats", type=int, default=3)
    ap.add_argument("--skip-wait", action="store_true")
    ap.add_argument("--skip-callgrind", action="store_true")
    ap.add_argument("--skip-https", action="store_true")
    ap.add_argument("--emulator")
    ap.add_argument("--emulator-arg", action="append", default=[])
    ap.add_argument("--tls-args", default="--tls-cert {cert} --tls-key {key}",
                    help="emulator options that turn on HTTPS; {cert} and {key} are replaced "
                         "by a throwaway self-signed certificate and key for 127.0.0.1")
    a = ap.parse_args()
    q = a.quick
    reps = a.reps or (3 if q else 7)
    calls = a.calls or (4000 if q else 20000)
    threads = [int(t) for t in (a.threads or ("1,4" if q else "1,2,4,8")).split(",")]
    aksk_threads = [int(t) for t in (a.aksk_threads or ("1" if q else "1,4")).split(",")]
    cg_runs = a.callgrind_runs or (1 if q else 3)
    cg_calls = a.callgrind_calls or (150 if q else 300)
    skip_wait = a.skip_wait or q
    build = os.path.abspath(a.build)
    emu_path = a.emulator or os.path.join(build, "bin", "sdrs-emulator")
    info = machine_info()
    load_start = loadavg()
    started = time.time()
    log(f"machine: {info['nproc']} CPUs, {info['model']}, load {load_start}")

    emu_args = a.emulator_arg + ["--aksk", AKSK]
    if a.token_bytes > 0:
        # Both loops send it; the emulator keeps accepting its default token (the wait bench).
        emu_args += ["--token", bench_token(a.token_bytes), "--token", "emulator-token"]
        E2E_EXTRA.extend(["--token-bytes", str(a.token_bytes)])

    tmp = tempfile.mkdtemp(prefix="sdrs-bench-run-")
    R = {}  # every measurement, for the report
    try:
        log("1/6 in-process benchmarks (sdrs-bench-inproc)")
        R["inproc"] = bench_inproc(build, 1 if q else 3, 0.05 if q else 0.2)

        emu = Emulator(emu_path, emu_args)
        try:
            if not a.skip_callgrind and shutil.which("valgrind"):
                log("2/6 callgrind: instructions and allocations per call, 1 thread")
                cg = {}
                for auth in ("token", "aksk"):
                    for call in ("create", "poll"):
                        for mode in ("curl", "sdrs"):
                            cg[(mode, auth, call)] = callgrind_e2e(build, emu, mode, auth, call,
                                                                  cg_calls, cg_runs)
                        log(f"  {auth} {call}: raw {cg[('curl', auth, call)]['total']:,.0f}, "
                            f"libsdrs {cg[('sdrs', auth, call)]['total']:,.0f} instructions")
                R["cg"] = cg
                try:
                    R["sha_block"] = sha256_block_cost(tmp)
                except Exception as e:  # noqa: BLE001 - reported
                    R["sha_block"] = (None, str(e))
                R["sha_ni"] = sha_ni_loop_instructions()
                try:
                    R["job_decode_instr"] = callgrind_job_decode(build, tmp)
                except Exception as e:  # noqa: BLE001 - reported
                    R["job_decode_instr"] = None
                    R["job_decode_reason"] = str(e)
            else:
                R["cg_reason"] = ("skipped (--skip-callgrind)" if a.skip_callgrind
                                  else "valgrind is not installed")

            log("3/6 throughput over HTTP (token)")
            http = {}
            for t in threads:
                for call in ("create", "poll"):
                    http[(t, call)] = bench_throughput(build, emu, reps, calls, t, call, "token")
                    log(f"  threads={t} {call}: ratio {ratio(http[(t, call)]):.3f} "
                        f"(load {loadavg()})")
            R["http"] = http

            log("4/6 AK/SK throughput against the raw loop with its own signer")
            aksk = {}
            for t in aksk_threads:
                for call in ("create", "poll"):
                    aksk[(t, call)] = bench_throughput(build, emu, reps, calls, t, call, "aksk")
                    log(f"  threads={t} {call}: ratio {ratio(aksk[(t, call)]):.3f}")
            R["aksk"] = aksk

            log("   lock contention (--locks)")
            R["locks"] = {t: e2e_run(build, emu, "sdrs", t, calls, "both", "token", ["--locks"])
                          for t in sorted(set(threads + [4]) - {1})}
            if not skip_wait:
                log("   job waits (takes as long as the longest job)")
                R["waits"] = bench_wait(build, emu, [int(d) for d in
                                                     a.wait_durations.split(",")],
                                        a.wait_repeats)
        finally:
            emu.stop()

        if not a.skip_https:
            log("5/6 throughput over HTTPS (token)")
            help_text = subprocess.run([emu_path, "--help"], capture_output=True, text=True)
            if "--tls-cert" not in help_text.stdout + help_text.stderr:
                R["https_reason"] = "this sdrs-emulator has no --tls-cert option"
            else:
                try:
                    ca, cert, key = (os.path.join(tmp, n) for n in ("ca.pem", "cert.pem",
                                                                   "key.pem"))
                    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-keyout", key, "-out", cert])
                    shutil.copy(cert, ca)
                    tls_args = [x.format(cert=cert, key=key) for x in a.tls_args.split()]
                    temu = Emulator(emu_path, emu_args + tls_args, scheme="https", ca=ca)
                    try:
                        https = {}
                        for t in threads:
                            for call in ("create", "poll"):
                                https[(t, call)] = bench_throughput(build, temu, reps, calls, t,
                                                                    call, "token")
                                log(f"  threads={t} {call}: ratio "
                                    f"{ratio(https[(t, call)]):.3f}")
                        R["https"] = https
                        R["locks_tls"] = e2e_run(build, temu, "sdrs", 4, calls, "both", "token",
                                                 ["--locks"])
                    finally:
                        temu.stop()
                except Exception as e:  # noqa: BLE001 - reported, not hidden
                    R["https_reason"] = str(e)
        else:
            R["https_reason"] = "skipped (--skip-https)"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    log("6/6 report")
    R["minutes"] = (time.time() - started) / 60
    R["load_start"], R["load_end"] = load_start, loadavg()
    R["info"] = info
    R["args"] = {"reps": reps, "calls": calls, "threads": threads, "aksk_threads": aksk_threads,
                 "cg_runs": cg_runs, "cg_calls": cg_calls, "quick": q,
                 "token_bytes": a.token_bytes, "wait_repeats": a.wait_repeats}
    text = report(R)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
        log(f"wrote {a.out}")
    print(text)


# ---- the report ---------------------------------------------------------------------------------

def report(R):
    A = R["args"]
    info = R["info"]
    L = []
    L.append("## Performance")
    L.append("")
    command = os.environ.get("SDRS_BENCH_COMMAND", "bench/run.py " + " ".join(sys.argv[1:]))
    L.append(f"Measured {info['date']} on {info['nproc']} CPUs ({info['model']}), Linux "
             f"{info['kernel']}, libcurl {info['curl']}, {info['openssl']}; load average "
             f"{R['load_start']} at the start and {R['load_end']} at the end (1/5/15 min; the "
             f"machine is shared). Run time {R['minutes']:.1f} min. "
             + (f"IAM token: {A['token_bytes']} bytes." if A["token_bytes"] > 0 else
                "IAM token: the emulator's default (14 bytes; `--token-bytes` sends a longer "
                "one)."))
    L.append(f"Command: `{command}`" + (" (`--quick`: fewer and shorter runs, noisier figures)"
                                        if A["quick"] else "") +
             ". `scripts/bench` builds with `-DSDRS_BUILD_BENCH=ON` into `$SDRS_BENCH_BUILD_DIR` "
             "(default `/tmp/build-sdrs-bench`) and runs `bench/run.py`, which starts the "
             "emulator on 127.0.0.1; how each figure is taken: `bench/README.md`.")
    L.append("")
    cg = R.get("cg")
    targets = []  # (what, measured, target, met)

    # ---- per call ----
    L.append("### Per call, 1 thread, HTTP (callgrind)")
    L.append("")
    if cg:
        L.append("| per call, 1 thread | libsdrs | raw curl | over raw | target | met |")
        L.append("|---|---|---|---|---|---|")
        for auth, label in (("token", "token"), ("aksk", "AK/SK")):
            for call in ("create", "poll"):
                s, c = cg[("sdrs", auth, call)], cg[("curl", auth, call)]
                di, da = s["total"] - c["total"], s["allocs"] - c["allocs"]
                if auth == "token":
                    target = f"<= {T_EXTRA_INSTR / 1000:.0f}k / <= {T_EXTRA_ALLOCS}"
                    met = di <= T_EXTRA_INSTR and da <= T_EXTRA_ALLOCS
                    targets.append((f"token {call}: extra instructions / allocations over raw",
                                    f"{fmt(di, sign=True)} / {fmt(da, 1, sign=True)}", target,
                                    met))
                    met_text = yes(met)
                else:
                    target, met_text = "signer: see below", "-"
                L.append(f"| HTTP {call}, {label}: instructions / allocations | "
                         f"{s['total'] / 1000:.1f}k / {s['allocs']:.1f} | "
                         f"{c['total'] / 1000:.1f}k / {c['allocs']:.1f} | "
                         f"{di / 1000:+.1f}k / {da:+.1f} | {target} | {met_text} |")
        L.append("")
        L.append(f"Instructions: callgrind, only the measured loop collected, {A['cg_calls']} "
                 f"calls per run after 20 warm-up calls, the run with the median total of "
                 f"{A['cg_runs']} (totals per call, libsdrs token create: "
                 + ", ".join(f"{t:,.0f}" for t in cg[("sdrs", "token", "create")]["totals"]) +
                 "). Allocations: operator new + malloc/calloc/realloc calls per call, counted by "
                 "the bench's interposed allocator. The raw loop: one easy handle, "
                 "`curl_easy_perform`, the same method, URL, headers and body. With AK/SK the raw "
                 "loop signs each request with its own SDK-HMAC-SHA256 signer written from "
                 "auth.md (EVP, algorithms fetched once, the HMAC keyed once, one reused "
                 "canonical-request buffer) and builds its 7-line header list per request.")
        L.append("")
        # The signer.
        sha_pb, sha_fn = R.get("sha_block", (None, "not measured"))
        ni, ni_where = R.get("sha_ni", (None, "not measured"))
        L.append("AK/SK signing, per request (inclusive callgrind cost of the signing function; "
                 "allocations: the AK/SK loop's minus the token loop's):")
        L.append("")
        L.append("| | create | poll | target | met |")
        L.append("|---|---|---|---|---|")
        sign = {}
        for call in ("create", "poll"):
            s = cg[("sdrs", "aksk", call)]
            r = cg[("curl", "aksk", call)]
            lib = inclusive(s["arcs"], r"AccessSigner::sign\(") / s["n"]
            raw = inclusive(r["arcs"], r"RawSigner::sign\(") / r["n"]
            blocks_ir = sum(v for (fn, ob), v in s["self"].items()
                            if ob.startswith("libcrypto") and sha_fn and fn == sha_fn)
            allocs = s["allocs"] - cg[("sdrs", "token", call)]["allocs"]
            sign[call] = (lib, raw, blocks_ir, allocs)
        L.append("| libsdrs `AccessSigner::sign` (SHA256_* low-level API, key pads hashed once) "
                 f"| {fmt(sign['create'][0])} | {fmt(sign['poll'][0])} | <= {T_SIGN_INSTR:,} | "
                 f"{yes(max(sign['create'][0], sign['poll'][0]) <= T_SIGN_INSTR)} |")
        L.append(f"| of which the SHA-256 block function ({sha_fn if sha_pb else 'n/a'}) | "
                 f"{fmt(sign['create'][2])} | {fmt(sign['poll'][2])} | | |")
        if sha_pb:
            bc, bp = sign["create"][2] / sha_pb, sign["poll"][2] / sha_pb
            L.append(f"| 64-byte blocks hashed (at {sha_pb:,.0f} instructions per block under "
                     f"callgrind) | {bc:.1f} | {bp:.1f} | | |")
            L.append(f"| everything but the block function | "
                     f"{fmt(sign['create'][0] - sign['create'][2])} | "
                     f"{fmt(sign['poll'][0] - sign['poll'][2])} | | |")
            if ni:
                nc = sign["create"][0] - sign["create"][2] + bc * ni
                npo = sign["poll"][0] - sign["poll"][2] + bp * ni
                L.append(f"| estimate on this CPU with SHA-NI ({ni} instructions per block, "
                         f"counted in libcrypto's SHA-NI loop) | {fmt(nc)} | {fmt(npo)} | "
                         f"<= {T_SIGN_INSTR:,} | {'yes (estimate)' if max(nc, npo) <= T_SIGN_INSTR else '**no** (estimate)'} |")
        L.append(f"| allocations the signing adds (AK/SK run - token run) | "
                 f"{sign['create'][3]:+.1f} | {sign['poll'][3]:+.1f} | <= {T_SIGN_ALLOCS} | "
                 f"{yes(max(sign['create'][3], sign['poll'][3]) <= T_SIGN_ALLOCS)} |")
        L.append(f"| raw loop's EVP signer (`EVP_DigestInit_ex2` on a reused context, "
                 f"`EVP_MAC_init` re-keyed from the stored key) | {fmt(sign['create'][1])} | "
                 f"{fmt(sign['poll'][1])} | | |")
        L.append("")
        worst = max(sign["create"][0], sign["poll"][0])
        targets.append(("AK/SK signer: instructions per request (callgrind)",
                        f"{fmt(sign['create'][0])} create, {fmt(sign['poll'][0])} poll", "<= 12,000",
                        worst <= T_SIGN_INSTR))
        targets.append(("AK/SK signer: allocations per request",
                        f"{sign['create'][3]:+.1f} create, {sign['poll'][3]:+.1f} poll", "<= 4",
                        max(sign['create'][3], sign['poll'][3]) <= T_SIGN_ALLOCS))
    else:
        L.append(f"Not measured: {R.get('cg_reason')}.")
        L.append("")

    # ---- throughput ----
    def ratio_table(res, label):
        ts = sorted({t for t, _ in res})
        L.append(f"| threads | {label} create: raw / libsdrs calls/s | ratio | "
                 f"{label} poll: raw / libsdrs calls/s | ratio | target | "
                 "client CPU us per call raw / libsdrs (create, poll) | connections raw / libsdrs |")
        L.append("|---|---|---|---|---|---|---|---|")
        for t in ts:
            tgt = T_RATIO_1 if t == 1 else T_RATIO_N
            cells = []
            cpu = []
            for call in ("create", "poll"):
                per = res[(t, call)]
                r = ratio(per)
                ok = r >= tgt
                targets.append((f"{label} {call} throughput ratio, {t} thread{'s' if t > 1 else ''}",
                                f"{r:.3f}", f">= {tgt}", ok))
                cells.append(f"{fmt(median(x['calls_per_s'] for x in per['curl']))} / "
                             f"{fmt(median(x['calls_per_s'] for x in per['sdrs']))} | "
                             f"**{r:.2f}** {'' if ok else '(not met)'}")
                cpu.append(f"{median(x['cpu_us_per_op'] for x in per['curl']):.1f} / "
                           f"{median(x['cpu_us_per_op'] for x in per['sdrs']):.1f}")
            conns = (f"{int(max(x['connects'] for p in (res[(t, 'create')], res[(t, 'poll')]) for x in p['curl']))}"
                     f" / {int(max(x['connects'] for p in (res[(t, 'create')], res[(t, 'poll')]) for x in p['sdrs']))}")
            L.append(f"| {t} | {cells[0]} | {cells[1]} | >= {tgt} | {', '.join(cpu)} | {conns} |")
        L.append("")

    L.append("### Throughput, libsdrs : raw libcurl (token)")
    L.append("")
    ratio_table(R["http"], "HTTP")
    if R.get("https"):
        ratio_table(R["https"], "HTTPS")
    else:
        L.append(f"HTTPS: not measured: {R.get('https_reason')}.")
        L.append("")
    emu_cpu = median(x["emu_cpu_us_per_call"] for p in R["http"].values() for x in p["curl"])
    L.append(f"Ratio = median over {A['reps']} back-to-back run pairs (order alternating) of "
             f"libsdrs calls/s / raw calls/s; {A['calls']:,} calls per run, split over the "
             f"threads, after 20 warm-up calls per thread; one client (libsdrs) or one easy "
             f"handle per thread (raw). The emulator costs {emu_cpu:.1f} us of CPU per call "
             f"under the raw loop; from 2 threads on, client and emulator share the 2 cores, so "
             f"the ratio measures total CPU per call (the client CPU columns). Connections: the "
             f"most TCP connects seen in one run (interposed `connect()`).")
    L.append("")

    L.append("### AK/SK throughput: libsdrs : raw loop with an equally careful signer (HTTP)")
    L.append("")
    L.append("| threads | create: raw / libsdrs calls/s | ratio | poll: raw / libsdrs calls/s "
             "| ratio | target |")
    L.append("|---|---|---|---|---|---|")
    for t in sorted({t for t, _ in R["aksk"]}):
        cells = []
        for call in ("create", "poll"):
            per = R["aksk"][(t, call)]
            r = ratio(per)
            targets.append((f"AK/SK {call} throughput vs the careful raw signer, {t} "
                            f"thread{'s' if t > 1 else ''}", f"{r:.3f}", f">= {T_RATIO_AKSK}",
                            r >= T_RATIO_AKSK))
            cells.append(f"{fmt(median(x['calls_per_s'] for x in per['curl']))} / "
                         f"{fmt(median(x['calls_per_s'] for x in per['sdrs']))} | **{r:.2f}**")
        L.append(f"| {t} | {cells[0]} | {cells[1]} | >= {T_RATIO_AKSK} |")
    L.append("")

    # ---- decoders ----
    L.append("### Decoders (sdrs-bench-inproc)")
    L.append("")
    L.append("| benchmark | CPU time | allocations | target | met |")
    L.append("|---|---|---|---|---|")
    for name, r in R["inproc"].items():
        if "List" in name and "Decode" in name:
            ok = r["cpu_ns"] <= T_LIST_NS and r["allocs"] <= T_LIST_ALLOCS
            L.append(f"| {name} | {r['cpu_ns'] / 1e6:.2f} ms | {fmt(r['allocs'])} | "
                     f"<= 1 ms, <= {T_LIST_ALLOCS} | {yes(ok)} |")
            targets.append((f"{name}", f"{r['cpu_ns'] / 1e6:.2f} ms, {fmt(r['allocs'])} "
                                        f"allocations", "<= 1 ms, <= 100", ok))
    jd = R["inproc"].get("BM_DecodeJob")
    ji = R.get("job_decode_instr")
    if jd:
        ok = ji is not None and ji <= T_JOB_INSTR
        L.append(f"| BM_DecodeJob (job poll decode) | {jd['cpu_ns']:,.0f} ns, "
                 f"{fmt(ji) if ji else 'n/a'} instructions (callgrind) | {fmt(jd['allocs'])} | "
                 f"<= {T_JOB_INSTR:,} instructions | {yes(ok) if ji else '-'} |")
        targets.append(("job poll decode: instructions per decode",
                        fmt(ji) if ji else f"not measured: {R.get('job_decode_reason', '')}",
                        f"<= {T_JOB_INSTR:,}", ok))
    L.append("")
    L.append("Google Benchmark (median of the repetitions), allocations counted by the bench's "
             "operator new; job decode instructions: callgrind over `BM_DecodeJob`, only "
             "`sdrs::decode_job` collected, divided by its calls. The other in-process figures:")
    L.append("")
    L.append("| benchmark | CPU ns | allocations |")
    L.append("|---|---|---|")
    for name, r in R["inproc"].items():
        if not ("List" in name and "Decode" in name) and name != "BM_DecodeJob":
            L.append(f"| {name} | {fmt(r['cpu_ns'])} | {fmt(r['allocs'])} |")
    L.append("")

    # ---- locks ----
    L.append("### Lock contention (libsdrs, create + poll per op, token)")
    L.append("")
    L.append("| run | lock calls per op | contended per op | waiting per op | contended sites |")
    L.append("|---|---|---|---|---|")
    runs = [(f"HTTP, {t} threads", r) for t, r in sorted(R["locks"].items())]
    if R.get("locks_tls"):
        runs.append(("HTTPS, 4 threads", R["locks_tls"]))
    for label, r in runs:
        sites = "; ".join(f"{n}: {c}" for n, c, _ in lock_sites(r)[:4]) or "none"
        L.append(f"| {label} | {r['locks_per_op']:.1f} | {r['contended_per_op']:.4f} | "
                 f"{r['lock_wait_us_per_op']:.3f} us | {sites} |")
    L.append("")
    L.append("Every `pthread_mutex_lock` and `pthread_rwlock_{rd,wr}lock` of the bench process "
             "(std::mutex, libcurl's share callbacks, OpenSSL) is interposed and tried first; a "
             "busy lock counts as contended and its wait is timed (`sdrs-bench-e2e --locks`). "
             "glibc's malloc arena locks are internal to libc and not seen here.")
    L.append("")

    # ---- where the extra instructions go ----
    if cg:
        L.append("### Where the remaining extra instructions go (callgrind, token, per call)")
        L.append("")
        for call in ("create", "poll"):
            s, c = cg[("sdrs", "token", call)], cg[("curl", "token", call)]
            so, co = by_object(s), by_object(c)
            L.append(f"{call.capitalize()}: libsdrs {s['total']:,.0f}, raw {c['total']:,.0f}, "
                     f"{s['total'] - c['total']:+,.0f} instructions. By object file:")
            L.append("")
            L.append("| object | raw | libsdrs | difference |")
            L.append("|---|---|---|---|")
            for o in sorted(set(so) | set(co), key=lambda k: -abs(so[k] - co[k])):
                if abs(so[o] - co[o]) < 50 and so[o] + co[o] < 500:
                    continue
                L.append(f"| {o} | {fmt(co[o])} | {fmt(so[o])} | {fmt(so[o] - co[o], sign=True)} |")
            L.append("")
            diff = collections.Counter()
            for k in set(s["self"]) | set(c["self"]):
                diff[k] = s["self"].get(k, 0) - c["self"].get(k, 0)
            top = [(k, v) for k, v in diff.most_common(18) if v >= 60]
            L.append(f"Largest self-cost differences (libsdrs - raw, {call}):")
            L.append("")
            L.append("| function | object | difference |")
            L.append("|---|---|---|")
            for (fn, ob), v in top:
                name = short_name(fn) if not fn.startswith("0x") else f"(stripped) {fn}"
                L.append(f"| `{name}` | {ob} | {fmt(v, sign=True)} |")
            L.append("")
            incl = [("sdrs_pg_create" if call == "create" else "sdrs_job_poll", "C API, everything"),
                    (r"sdrs::Transport::exchange\(", "Transport::exchange (one attempt)"),
                    (r"^curl_multi_perform$", "curl_multi_perform (libcurl, the exchange)"),
                    (r"^curl_multi_remove_handle$", "curl_multi_remove_handle"),
                    (r"^curl_multi_add_handle$", "curl_multi_add_handle"),
                    (r"^curl_easy_setopt$", "curl_easy_setopt (per-request options)"),
                    (r"on_header\(", "on_header (response header callback)"),
                    (r"sdrs::encode_create\(", "encode_create (request body)"),
                    (r"sdrs::validate_spec\(", "validate_spec"),
                    (r"sdrs::decode_job_id\(", "decode_job_id"),
                    (r"sdrs::decode_job\(", "decode_job (job response decoder)"),
                    (r"sdrs::capi::make_job\(", "capi::make_job (the C handle)")]
            L.append(f"Inclusive cost of the main steps ({call}; raw loop: `curl_easy_perform` "
                     f"{fmt(inclusive(c['arcs'], r'^curl_easy_perform$') / c['n'])}):")
            L.append("")
            L.append("| function | instructions |")
            L.append("|---|---|")
            for pat, label in incl:
                v = inclusive(s["arcs"], pat) / s["n"]
                if v > 0:
                    L.append(f"| {label} | {fmt(v)} |")
            L.append("")

    # ---- waits ----
    if R.get("waits"):
        L.append("### sdrs_job_wait with the default options")
        L.append("")
        L.append("| job duration | polls (median) | polls/s | return after the job's end, ms "
                 "(median, max) | final poll's round trip, ms (max) | polling interval at the "
                 "end, ms (median) | within 1 interval |")
        L.append("|---|---|---|---|---|---|---|")
        for d, rs in sorted(R["waits"].items()):
            L.append(f"| {d} s | {fmt(median(r['polls'] for r in rs))} | "
                     f"{median(r['polls_per_s'] for r in rs):.2f} | "
                     f"{fmt(median(r['late_ms'] for r in rs))}, "
                     f"{fmt(max(r['late_ms'] for r in rs))} | "
                     f"{fmt(max(r['final_rtt_ms'] for r in rs))} | "
                     f"{fmt(median(r['last_interval_ms'] for r in rs))} | "
                     f"{sum(int(r['within_interval']) for r in rs)}/{len(rs)} |")
        L.append("")
        L.append(f"{A['wait_repeats']} waits per duration, all at once on one client "
                 "(`sdrs-bench-wait`, see bench/README.md).")
        L.append("")

    # ---- summary, first ----
    S = ["### Targets (issue 20)", "",
         "| figure | measured | target | met |", "|---|---|---|---|"]
    for what, measured, target, met in targets:
        S.append(f"| {what} | {measured} | {target} | {yes(met)} |")
    met_n = sum(1 for t in targets if t[3])
    S.append("")
    S.append(f"{met_n} of {len(targets)} met.")
    S.append("")
    head = L.index("### Per call, 1 thread, HTTP (callgrind)")
    return "\n".join(L[:head] + S + L[head:]) + "\n"


if __name__ == "__main__":
    main()
