#!/usr/bin/env python3
"""Runs the libsdrs benchmarks against a local emulator and writes a Markdown report.

Called by scripts/bench (which builds first); usable alone:
  bench/run.py --build BUILD_DIR [--out FILE] [--reps N] [--calls N] [--skip-wait]
               [--skip-callgrind] [--emulator PATH] [--emulator-arg ARG]...

Every figure is the median of --reps runs; the runs of libsdrs and of the raw libcurl loop are
interleaved so load changes on a shared machine hit both alike. Nothing is estimated: a
measurement that cannot be made here is reported as "not measured: <reason>".
"""
import argparse
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
    return statistics.median(values) if values else float("nan")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Emulator:
    """An sdrs-emulator on 127.0.0.1 with a free port."""

    def __init__(self, path, args, scheme="http"):
        self.tmp = tempfile.mkdtemp(prefix="sdrs-bench-")
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
        self.admin = f"http://127.0.0.1:{self.port}"  # only meaningful for plain HTTP

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def admin(url, path, body=None, ca=None):
    import ssl
    ctx = ssl.create_default_context(cafile=ca) if url.startswith("https") else None
    req = urllib.request.Request(url + path, method="POST" if body is not None else "GET",
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
        return json.loads(r.read() or b"{}")


def run(cmd, timeout=600):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()[:400]}")
    return r.stdout


# ---- 1. in-process ----------------------------------------------------------------------------

def bench_inproc(build, reps):
    exe = os.path.join(build, "bin", "sdrs-bench-inproc")
    out = run([exe, f"--benchmark_repetitions={reps}", "--benchmark_report_aggregates_only=true",
               "--benchmark_format=json", "--benchmark_min_time=0.2"])
    data = json.loads(out)
    rows = {}
    # With one repetition there are no aggregates: take the plain runs.
    want = "median" if any(b.get("aggregate_name") for b in data["benchmarks"]) else None
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != want:
            continue
        name = b["run_name"]
        scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b.get("time_unit", "ns")]
        rows[name] = {"cpu_ns": b["cpu_time"] * scale, "real_ns": b["real_time"] * scale,
                      "allocs": b.get("allocs/op", float("nan"))}
    return rows


# ---- 2./3. end to end ---------------------------------------------------------------------------

# Extra sdrs-bench-e2e arguments for every run (--token-bytes).
E2E_EXTRA = []


def bench_token(n):
    """The token sdrs-bench-e2e --token-bytes n sends (same construction)."""
    return ("bench-token-" * (n // 12 + 1))[:n]


def e2e_run(build, emu, mode, threads, ops, only_create=False, ca=None):
    cmd = [os.path.join(build, "bin", "sdrs-bench-e2e"), "--mode", mode, "--url", emu.url,
           "--threads", str(threads), "--iterations", str(ops), "--warmup", "20",
           "--emulator-pid", str(emu.proc.pid)] + E2E_EXTRA
    if only_create:
        cmd.append("--only-create")
    if ca:
        cmd += ["--ca-file", ca]
    return parse_kv(run(cmd).strip().splitlines()[-1])


def bench_e2e(build, emu, reps, calls, thread_counts, ca=None):
    """{threads: {"curl": [runs], "sdrs": [runs]}}; each run does `calls` HTTP calls."""
    results = {}
    for t in thread_counts:
        per = {"curl": [], "sdrs": []}
        for rep in range(reps):
            order = ("curl", "sdrs") if rep % 2 == 0 else ("sdrs", "curl")
            for mode in order:
                admin(emu.admin, "/_emulator/reset", {}, ca)
                r = e2e_run(build, emu, mode, t, calls // 2, ca=ca)
                per[mode].append(r)
            log(f"  {emu.url.split(':')[0]} threads={t} rep={rep + 1}/{reps}: "
                f"curl {per['curl'][-1]['ops_per_s']:.0f} ops/s, "
                f"sdrs {per['sdrs'][-1]['ops_per_s']:.0f} ops/s (load {loadavg()})")
        results[t] = per
    return results


def bench_create_only(build, emu, reps, calls):
    per = {"curl": [], "sdrs": []}
    for rep in range(reps):
        for mode in (("curl", "sdrs") if rep % 2 == 0 else ("sdrs", "curl")):
            admin(emu.admin, "/_emulator/reset", {})
            per[mode].append(e2e_run(build, emu, mode, 1, calls, only_create=True))
    return per


# ---- 4. waits ---------------------------------------------------------------------------------

def bench_wait(build, emu, durations, repeats):
    out = run([os.path.join(build, "bin", "sdrs-bench-wait"), "--url", emu.url,
               "--durations", ",".join(str(d) for d in durations), "--repeats", str(repeats)],
              timeout=max(durations) * 3 + 120)
    by = {}
    for line in out.strip().splitlines():
        r = parse_kv(line)
        by.setdefault(int(r["duration_s"]), []).append(r)
    return by


# ---- callgrind: instructions per create ---------------------------------------------------------

def callgrind_objects(path):
    """Self cost (Ir) per object file from a callgrind output file."""
    names = {"ob": {}, "fl": {}, "fn": {}}
    costs = {}
    ob = "?"
    skip_next = False
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
                    ob = resolved
                continue
            if line.startswith("calls="):
                skip_next = True  # the next cost line is the inclusive cost of that call
                continue
            if line and (line[0].isdigit() or line[0] in "+-*"):
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) >= 2:
                    costs[ob] = costs.get(ob, 0) + int(parts[1])
    return costs


HOT = [("sdrs_pg_create", "sdrs_pg_create (C API, everything)"),
       ("sdrs::Client::create_pg", "Client::create_pg"),
       ("sdrs::validate_spec", "validate_spec"),
       ("sdrs::encode_create", "encode_create (JSON body, one allocation)"),
       ("sdrs::Client::call", "Client::call (request + headers + transport)"),
       ("sdrs::Transport::perform", "Transport::perform"),
       ("curl_multi_perform", "curl_multi_perform (libcurl, the exchange)"),
       ("curl_easy_setopt", "curl_easy_setopt (per-request options)"),
       ("curl_multi_add_handle", "curl_multi_add_handle"),
       ("curl_multi_remove_handle", "curl_multi_remove_handle"),
       ("sdrs::(anonymous namespace)::on_header", "on_header (response header callback)"),
       ("sdrs::decode_job_id", "decode_job_id (RapidJSON parse)"),
       ("curl_easy_perform", "curl_easy_perform")]


def callgrind_hotspots(path, creates):
    """Inclusive instructions per create of HOT functions, and the callers of operator delete
    (each heap block is freed once, so they locate the allocations) per create."""
    # --threshold=100: every function, however cheap (operator delete is, now).
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--tree=caller",
                          "--threshold=100", path],
                         capture_output=True, text=True).stdout
    out = out.replace("std::__cxx11::basic_string<char, std::char_traits<char>, "
                      "std::allocator<char> >", "std::string")
    hot = {}
    for key, label in HOT:
        m = re.search(r"^\s*([\d,]+) \([^)]*\)\s+\*\s+\S*:" + re.escape(key) + r"\b", out, re.M)
        if m:
            hot[label] = int(m.group(1).replace(",", "")) / creates
    sites = {}
    for block in out.split("\n\n"):
        if not re.search(r"\*\s+\S*:operator delete\(void\*", block):
            continue
        for m in re.finditer(r"<\s+\S*?:(.*?) \(([\d,]+)x\)", block):
            name = re.sub(r"\(.*", "", m.group(1).replace("(anonymous namespace)::", ""))
            name = re.sub(r"^(void|int|bool|auto) ", "", name)  # drop a return type
            sites[name] = sites.get(name, 0) + int(m.group(2).replace(",", ""))
    return hot, sites


def bench_callgrind(build, emu, creates=300):
    if shutil.which("valgrind") is None:
        return None, "not measured: valgrind is not installed"
    res = {}
    tmp = tempfile.mkdtemp(prefix="sdrs-cg-")
    try:
        for mode in ("curl", "sdrs"):
            out = os.path.join(tmp, f"cg.{mode}")
            admin(emu.admin, "/_emulator/reset", {})
            run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                 "--toggle-collect=*measured_loop*",
                 os.path.join(build, "bin", "sdrs-bench-e2e"), "--mode", mode, "--url", emu.url,
                 "--iterations", str(creates), "--warmup", "20", "--only-create"] + E2E_EXTRA,
                timeout=900)
            objs = callgrind_objects(out)
            res[mode] = {os.path.basename(k): v / creates for k, v in objs.items()}
            res[mode + "_total"] = sum(objs.values()) / creates
            res[mode + "_hot"], res[mode + "_sites"] = callgrind_hotspots(out, creates)
        # Callgrind counts calls also outside the collected loop: the 20 warm-up creates too.
        res["calls_counted"] = creates + 20
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res, None


def bench_syscalls(build, emu, creates=2000):
    """poll/sendto/recvfrom/total system calls per create, counted by strace -c."""
    if shutil.which("strace") is None:
        return None
    res = {}
    tmp = tempfile.mkdtemp(prefix="sdrs-strace-")
    try:
        for mode in ("curl", "sdrs"):
            out = os.path.join(tmp, mode)
            admin(emu.admin, "/_emulator/reset", {})
            run(["strace", "-f", "-c", "-o", out, os.path.join(build, "bin", "sdrs-bench-e2e"),
                 "--mode", mode, "--url", emu.url, "--iterations", str(creates), "--warmup", "0",
                 "--only-create"] + E2E_EXTRA)
            counts = {}
            with open(out) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 5 and parts[0][0].isdigit() and parts[3].isdigit():
                        counts[parts[-1]] = int(parts[3])
            res[mode] = {k: counts.get(k, 0) / creates for k in ("poll", "sendto", "recvfrom",
                                                                 "total")}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


# ---- report -------------------------------------------------------------------------------------

def fmt(v, digits=0):
    if v != v:  # NaN
        return "n/a"
    return f"{v:,.{digits}f}"


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
    return {"nproc": os.cpu_count(), "model": model, "kernel": os.uname().release,
            "curl": curl, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def e2e_table(lines, results, label, calls):
    lines.append(f"| threads | raw libcurl ops/s | libsdrs ops/s | ratio libsdrs / raw | "
                 f"client CPU us/op raw / libsdrs | emulator CPU us/call | "
                 f"TCP connects raw / libsdrs | TLS sessions raw / libsdrs |")
    lines.append("|---|---|---|---|---|---|---|---|")
    summary = {}
    for t, per in results.items():
        c, s = per["curl"], per["sdrs"]
        c_ops = median([r["ops_per_s"] for r in c])
        s_ops = median([r["ops_per_s"] for r in s])
        paired = median([b["ops_per_s"] / a["ops_per_s"] for a, b in zip(c, s)])
        emu_cpu = median([r["emu_cpu_us_per_call"] for r in c + s])
        conns = (f"{int(max(r['connects'] for r in c))} / {int(max(r['connects'] for r in s))}")
        tls = (f"{int(max(r['tls_new'] for r in c))} / {int(max(r['tls_new'] for r in s))}")
        lines.append(
            f"| {t} | {fmt(c_ops)} | {fmt(s_ops)} | **{paired:.2f}** | "
            f"{fmt(median([r['cpu_us_per_op'] for r in c]), 1)} / "
            f"{fmt(median([r['cpu_us_per_op'] for r in s]), 1)} | {fmt(emu_cpu, 1)} | "
            f"{conns} | {tls} |")
        summary[t] = paired
    lines.append("")
    lines.append(f"One op = create + one job poll (2 HTTP calls); {calls} calls per run "
                 f"(+20 warm-up ops per thread), split over the threads. Ratio = median over "
                 f"runs of (libsdrs ops/s / raw ops/s) of back-to-back run pairs. Connects and "
                 f"TLS sessions are the largest count seen in any run, for the whole run "
                 f"including warm-up ({label}).")
    lines.append("")
    return summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out")
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--token-bytes", type=int, default=0,
                    help="send an IAM token of this many bytes (real ones are several KB); "
                         "default: the emulator's short default token")
    ap.add_argument("--threads", default="1,2,4,8")
    ap.add_argument("--wait-durations", default="1,10,60")
    ap.add_argument("--wait-repeats", type=int, default=3)
    ap.add_argument("--skip-wait", action="store_true")
    ap.add_argument("--skip-callgrind", action="store_true")
    ap.add_argument("--emulator")
    ap.add_argument("--emulator-arg", action="append", default=[])
    ap.add_argument("--tls-args", default="--tls-cert {cert} --tls-key {key}",
                    help="emulator options that turn on HTTPS; {cert} and {key} are replaced "
                         "by a throwaway self-signed certificate and key for 127.0.0.1")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    emu_path = a.emulator or os.path.join(build, "bin", "sdrs-emulator")
    threads = [int(t) for t in a.threads.split(",")]
    info = machine_info()
    load_start = loadavg()
    started = time.time()
    log(f"machine: {info['nproc']} CPUs, {info['model']}, load {load_start}")

    L = []
    if a.token_bytes > 0:
        # Both loops send it; the emulator keeps accepting its default token (the wait bench).
        a.emulator_arg += ["--token", bench_token(a.token_bytes), "--token", "emulator-token"]
        E2E_EXTRA.extend(["--token-bytes", str(a.token_bytes)])
    emu = Emulator(emu_path, a.emulator_arg)
    try:
        log("1/5 in-process benchmarks")
        inproc = bench_inproc(build, a.reps)
        log("2/5 end to end over HTTP")
        http = bench_e2e(build, emu, a.reps, a.calls, threads)
        log("   create only (per-request cost)")
        create = bench_create_only(build, emu, a.reps, a.calls // 2)
        cg, cg_reason = (None, "not measured: skipped (--skip-callgrind)")
        if not a.skip_callgrind:
            log("   callgrind (instructions per create)")
            cg, cg_reason = bench_callgrind(build, emu)
        log("   strace (system calls per create)")
        sysc = bench_syscalls(build, emu)
        waits, wait_reason = None, "not measured: skipped (--skip-wait)"
        if not a.skip_wait:
            log("4/5 job waits (takes as long as the longest job)")
            durations = [int(d) for d in a.wait_durations.split(",")]
            waits = bench_wait(build, emu, durations, a.wait_repeats)
        stats = admin(emu.admin, "/_emulator/stats")
    finally:
        emu.stop()

    log("3/5 end to end over HTTPS")
    https, https_reason = None, None
    help_text = subprocess.run([emu_path, "--help"], capture_output=True, text=True)
    if "--tls-cert" not in help_text.stdout + help_text.stderr:
        https_reason = ("not measured: this sdrs-emulator has no --tls-cert option "
                        "(HTTPS in the emulator comes with the transport issue)")
    else:
        tmp = tempfile.mkdtemp(prefix="sdrs-tls-")
        try:
            ca, cert, key = (os.path.join(tmp, n) for n in ("ca.pem", "cert.pem", "key.pem"))
            run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                 "-keyout", key, "-out", cert])
            shutil.copy(cert, ca)
            tls_args = [x.format(cert=cert, key=key) for x in a.tls_args.split()]
            temu = Emulator(emu_path, a.emulator_arg + tls_args, scheme="https")
            try:
                temu.admin = temu.url
                https = bench_e2e(build, temu, a.reps, a.calls, threads, ca=ca)
            finally:
                temu.stop()
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            https_reason = f"not measured: {e}"
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    load_end = loadavg()
    minutes = (time.time() - started) / 60

    # ---- the report ----
    L.append("## Performance")
    L.append("")
    L.append(f"Measured {info['date']} on {info['nproc']} CPUs ({info['model']}), Linux "
             f"{info['kernel']}, libcurl {info['curl']}; load average {load_start} at the start "
             f"and {load_end} at the end (1/5/15 min; a shared machine, so absolute numbers are "
             f"noisy and every figure is a median of {a.reps} runs). Run time {minutes:.1f} min. "
             + (f"IAM token: {a.token_bytes} bytes." if a.token_bytes > 0 else
                "IAM token: the emulator's default (14 bytes; --token-bytes sends a longer one)."))
    command = os.environ.get("SDRS_BENCH_COMMAND", "bench/run.py " + " ".join(sys.argv[1:]))
    L.append(f"Command: `{command}` (`scripts/bench` builds with `-DSDRS_BUILD_BENCH=ON` into "
             "`$SDRS_BENCH_BUILD_DIR`, default `/tmp/build-sdrs-bench`, starts the emulator on "
             "127.0.0.1 and writes this file).")
    L.append("What the numbers show and where the time goes: `bench/README.md`.")
    L.append("")

    L.append("### Targets")
    L.append("")
    L.append("| target | result | met |")
    L.append("|---|---|---|")
    s1 = http.get(1) if 1 in http else None
    worst_http = min(bench_ratio for bench_ratio in
                     [median([b["ops_per_s"] / x["ops_per_s"] for x, b in
                              zip(p["curl"], p["sdrs"])]) for p in http.values()])
    def ratios(res):
        per_t = " / ".join(
            f"{median([b['ops_per_s'] / x['ops_per_s'] for x, b in zip(p['curl'], p['sdrs'])]):.2f}"
            for p in res.values())
        cpu = median([median([r["cpu_us_per_op"] for r in p["curl"]]) /
                      median([r["cpu_us_per_op"] for r in p["sdrs"]]) for p in res.values()])
        return (f"ratio at {' / '.join(map(str, res))} threads: {per_t}; client CPU per op "
                f"raw / libsdrs: {cpu:.2f}")

    L.append(f"| HTTP keep-alive throughput >= 0.90 of raw libcurl | {ratios(http)} | "
             f"{'yes' if worst_http >= 0.90 else 'no'} |")
    if https:
        worst_https = min(median([b["ops_per_s"] / x["ops_per_s"] for x, b in
                                  zip(p["curl"], p["sdrs"])]) for p in https.values())
        L.append(f"| HTTPS throughput >= 0.90 of raw libcurl | {ratios(https)} | "
                 f"{'yes' if worst_https >= 0.90 else 'no'} |")
    else:
        L.append(f"| HTTPS throughput >= 0.90 of raw libcurl | {https_reason} | - |")
    cu = median([r["user_us_per_op"] for r in create["curl"]])
    su = median([r["user_us_per_op"] for r in create["sdrs"]])
    cc = median([r["cpu_us_per_op"] for r in create["curl"]])
    sc = median([r["cpu_us_per_op"] for r in create["sdrs"]])
    lib_us = sc - cc
    news = median([r["news_per_op"] for r in create["sdrs"]])
    extra_mallocs = (median([r["mallocs_per_op"] for r in create["sdrs"]]) -
                     median([r["mallocs_per_op"] for r in create["curl"]]))
    cg_text = ""
    lib_met = "yes" if lib_us <= 5 else "no"
    if cg:
        ir_c, ir_s = cg["curl_total"], cg["sdrs_total"]
        us_per_ir = cu / ir_c if ir_c else float("nan")
        cg_text = (f"; callgrind: {fmt(ir_s - ir_c)} more instructions per create than the raw "
                   f"loop = {fmt((ir_s - ir_c) * us_per_ir, 1)} us at the raw loop's measured "
                   f"{us_per_ir * 1e3:.2f} ns/instruction")
        cg_us = (ir_s - ir_c) * us_per_ir
        if (cg_us <= 5) != (lib_us <= 5):
            lib_met = "unclear: the two measures disagree"
        elif cg_us > 5:
            lib_met = "no"
    L.append(f"| library CPU per create outside libcurl <= 5 us | process CPU per create "
             f"libsdrs - raw libcurl: {fmt(lib_us, 1)} us (user only: {fmt(su - cu, 1)} us)"
             f"{cg_text} | {lib_met} |")
    L.append(f"| <= 20 heap allocations per create | {fmt(news, 0)} C++ allocations (operator "
             f"new, all from libsdrs) + {fmt(extra_mallocs, 0)} more malloc calls than the raw "
             f"loop (libcurl work the library's way of driving it adds) = "
             f"{fmt(news + extra_mallocs, 0)} | {'yes' if news + extra_mallocs <= 20 else 'no'} |")
    conn_ok = all(int(r["connects"]) <= t for t, p in http.items() for r in p["sdrs"])
    L.append(f"| one TCP connection per thread for {a.calls} calls | libsdrs: "
             + ", ".join(f"{t} thr: {int(max(r['connects'] for r in p['sdrs']))}"
                         for t, p in http.items())
             + f" | {'yes' if conn_ok else 'no'} |")
    if https:
        tls_ok = all(int(r["tls_new"]) <= t for t, p in https.items() for r in p["sdrs"])
        L.append(f"| one full TLS handshake per thread for {a.calls} calls | libsdrs TLS "
                 f"sessions: " + ", ".join(
                     f"{t} thr: {int(max(r['tls_new'] for r in p['sdrs']))}"
                     for t, p in https.items()) + f" | {'yes' if tls_ok else 'no'} |")
    else:
        L.append(f"| one full TLS handshake per thread | {https_reason} | - |")
    if waits:
        pps = max(median([r["polls_per_s"] for r in rs]) for rs in waits.values())
        within = all(int(r["within_interval"]) for rs in waits.values() for r in rs)
        L.append(f"| waits: <= 1 poll/s on average (jobs up to 60 s, default options) | "
                 "median polls/s per duration: " + ", ".join(
                     f"{d} s: {median([r['polls_per_s'] for r in rs]):.2f}"
                     for d, rs in sorted(waits.items()))
                 + " (the first poll comes after the initial interval, 1 s) | "
                 f"{'yes' if pps <= 1.0 else 'no'} |")
        rtt = max(int(r["final_rtt_ms"]) for rs in waits.values() for r in rs)
        L.append(f"| wait returns within 1 poll interval of the job's end | "
                 f"{'all' if within else 'not all'} {sum(len(v) for v in waits.values())} waits: "
                 "the poll that saw the end was sent less than one polling interval after it; "
                 f"its round trip (at most {rtt} ms here) comes on top"
                 f" | {'yes' if within else 'no'} |")
    else:
        L.append(f"| waits | {wait_reason} | - |")
    L.append("")

    L.append("### End to end, HTTP keep-alive, one client")
    L.append("")
    e2e_table(L, http, "counted in the bench process by interposing connect() and SSL_new()",
              a.calls)
    L.append(f"Emulator: {fmt(median([r['emu_cpu_us_per_call'] for p in http.values() for r in p['curl']]), 1)}"
             f" us CPU per call under the raw loop, i.e. one core serves about "
             f"{fmt(1e6 / median([r['emu_cpu_us_per_call'] for p in http.values() for r in p['curl']]))}"
             f" calls/s; the raw loop at 1 thread drives "
             f"{fmt(median([r['calls_per_s'] for r in s1['curl']]) if s1 else float('nan'))} calls/s"
             f" (so it is not saturated; its cost is the same in both loops, which pulls the "
             f"ratio toward 1)."
             + (f" Connections it accepted (its own counter, last run only): "
                f"{stats['connections']}." if "connections" in stats else ""))
    L.append("")

    L.append("### End to end, HTTPS (connection and TLS session reuse)")
    L.append("")
    if https:
        e2e_table(L, https, "TLS sessions = SSL_new() calls = TLS handshakes", a.calls)
    else:
        L.append(https_reason)
        L.append("")

    L.append("### Per create request (1 thread, create only)")
    L.append("")
    L.append("| | raw libcurl | libsdrs | libsdrs - raw |")
    L.append("|---|---|---|---|")
    for key, label, d in (("ops_per_s", "creates/s", 0), ("cpu_us_per_op", "process CPU us", 1),
                          ("user_us_per_op", "user CPU us", 1),
                          ("news_per_op", "operator new calls", 1),
                          ("mallocs_per_op", "malloc/calloc/realloc calls", 1)):
        c = median([r[key] for r in create["curl"]])
        s = median([r[key] for r in create["sdrs"]])
        L.append(f"| {label} | {fmt(c, d)} | {fmt(s, d)} | {fmt(s - c, d)} |")
    if cg:
        objs = sorted(set(cg["curl"]) | set(cg["sdrs"]),
                      key=lambda k: -(cg["sdrs"].get(k, 0) + cg["curl"].get(k, 0)))
        for o in objs:
            c, s = cg["curl"].get(o, 0), cg["sdrs"].get(o, 0)
            if c + s < 100:
                continue
            L.append(f"| instructions in {o} | {fmt(c)} | {fmt(s)} | {fmt(s - c)} |")
        L.append(f"| instructions, total | {fmt(cg['curl_total'])} | {fmt(cg['sdrs_total'])} | "
                 f"{fmt(cg['sdrs_total'] - cg['curl_total'])} |")
    if sysc:
        for k in ("poll", "sendto", "recvfrom", "total"):
            c, x = sysc["curl"][k], sysc["sdrs"][k]
            L.append(f"| system calls: {k} | {c:.2f} | {x:.2f} | {x - c:+.2f} |")
    L.append("")
    if cg and cg.get("sdrs_hot"):
        L.append("Where the instructions of one create go (callgrind, inclusive, per create):")
        L.append("")
        L.append("| function | instructions |")
        L.append("|---|---|")
        for label, v in list(cg["sdrs_hot"].items()) + [
                ("raw loop: " + k + " (the exchange)", v) for k, v in cg["curl_hot"].items()
                if k == "curl_easy_perform"]:
            L.append(f"| {label} | {fmt(v)} |")
        L.append("")
        L.append("Where libsdrs's operator new calls of one create come from (callers of "
                 "operator delete, each block being freed once; calls per create):")
        L.append("")
        L.append("| site | allocations |")
        L.append("|---|---|")
        for name, n in sorted(cg["sdrs_sites"].items(), key=lambda x: -x[1]):
            short = name if len(name) <= 70 else name[:67] + "..."
            L.append(f"| `{short}` | {n / cg['calls_counted']:.0f} |")
        L.append("")
    L.append("Allocations are counted by the bench's own operator new and malloc "
             "(interposed, timed phase only). Instructions are callgrind self cost per object "
             "over 300 creates (only the measured loop is collected)." if cg else
             f"Instructions: {cg_reason}.")
    L.append("")

    L.append("### In-process costs (no network)")
    L.append("")
    L.append("| operation | CPU ns/op | wall ns/op | heap allocations/op |")
    L.append("|---|---|---|---|")
    labels = {"BM_EncodeCreate": "encode a create request",
              "BM_ValidateSpec": "validate a create spec",
              "BM_DecodeJobId": "decode a {\"job_id\"} response",
              "BM_DecodeJob": "decode a job response",
              "BM_DecodeGroupList1000": "decode a 1000-group list",
              "BM_DecodeInstanceList1000": "decode a 1000-instance list (2 attachments, 1 tag each)",
              "BM_DecodePairList1000": "decode a 1000-pair list (1 attachment, record metadata each)",
              "BM_ParseEndpoint": "parse an endpoint URL",
              "BM_BuildListUrl": "build a list URL with 4 filters",
              "BM_CreateCoreWork": "core work of one create (validate + URL + encode + decode)",
              "BM_SignCreate": "sign a create request with AK/SK (SDK-HMAC-SHA256), reference path",
              "BM_SignCreateHot": "sign a create request with the client's AccessSigner (warm)",
              "BM_SignCreateFresh": "sign a create request with the client's AccessSigner (fresh date)"}
    for name, r in inproc.items():
        L.append(f"| {labels.get(name, name)} | {fmt(r['cpu_ns'])} | {fmt(r['real_ns'])} | "
                 f"{fmt(r['allocs'], 0)} |")
    if not any("Sign" in n for n in inproc):
        L.append("| sign a request with AK/SK | not measured: no AK/SK signer in this tree "
                 "(src/auth/signer.hpp, issue 4) | | |")
    L.append("")
    L.append("Google Benchmark, median of the repetitions; allocations counted by a replaced "
             "global operator new. CPU time is the figure to read on a loaded machine.")
    L.append("")

    L.append("### sdrs_job_wait with the default options")
    L.append("")
    if waits:
        L.append("| job duration | polls (median) | polls/s | return after the job's end, ms "
                 "(median, max) | final poll's round trip, ms (max) | "
                 "polling interval at the end, ms (median) | within 1 interval |")
        L.append("|---|---|---|---|---|---|---|")
        for d, rs in sorted(waits.items()):
            L.append(f"| {d} s | {fmt(median([r['polls'] for r in rs]), 0)} | "
                     f"{median([r['polls_per_s'] for r in rs]):.2f} | "
                     f"{fmt(median([r['late_ms'] for r in rs]))}, "
                     f"{fmt(max(r['late_ms'] for r in rs))} | "
                     f"{fmt(max(r['final_rtt_ms'] for r in rs))} | "
                     f"{fmt(median([r['last_interval_ms'] for r in rs]))} | "
                     f"{sum(int(r['within_interval']) for r in rs)}/{len(rs)} |")
        L.append("")
        L.append(f"{a.wait_repeats} waits per duration, all at once on one client. The default "
                 "schedule polls after 1 s, then x1.5 per poll (+/-20 % jitter) up to 10 s. "
                 "Return after the end = (when the final poll was sent - the end) + that poll's "
                 "round trip; the polling interval at the end is the time between the requests "
                 "of the last two polls (for a single poll: from the start of the wait). Within 1 "
                 "interval: the final poll was sent less than that interval after the end, i.e. "
                 "the wait missed no poll and added nothing but the request itself. Request "
                 "times are taken by interposing send() in the bench.")
    else:
        L.append(wait_reason)
    L.append("")

    text = "\n".join(L) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
        log(f"wrote {a.out}")
    print(text)


if __name__ == "__main__":
    main()
