#!/usr/bin/env python3
"""Binding libsdrs from Python with ctypes alone (docs/ffi.md explains every rule used here).

Creates a protection group on the service at <endpoint-url>, waits for its job and prints the
group; exits 0 only if every step returned what it must.

    ctypes_example.py <endpoint-url> [<library>]      library default: libsdrs.so.1

Run by ctest (packaging_ffi_ctypes) against the sdrs-emulator with LD_LIBRARY_PATH naming an
installed libdir; with libsdrs installed system-wide no LD_LIBRARY_PATH is needed.
"""
import ctypes
import sys
from ctypes import (CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_int32, c_int64, c_size_t,
                    c_void_p)

PROJECT_ID = b"0123456789abcdef0123456789abcdef"  # the emulator's defaults (sdrs-emulator(1))
TOKEN = b"emulator-token"
SDRS_ENOTFOUND = -5
SDRS_LOG_INFO = 3

# Callback types. The CFUNCTYPE objects made from them must stay referenced for as long as
# the library may call them (see Client below), or Python frees the trampolines.
LOG_SINK = CFUNCTYPE(None, c_int32, c_char_p, c_void_p)
PROGRESS = CFUNCTYPE(c_int, c_void_p, c_void_p)


class SdrsError(Exception):
    def __init__(self, what, code, name, message):
        super().__init__(f"{what}: {name}: {message}")
        self.code = code


def load(name):
    lib = ctypes.CDLL(name)
    handle = c_void_p  # every handle is an opaque pointer
    out = POINTER(c_void_p)  # sdrs_x **out and sdrs_error **err
    # Borrowed strings come back as c_char_p (ctypes copies them into bytes at once). An owned
    # string (char **out) must come back as a raw c_void_p so it can be given to
    # sdrs_string_free: never declare it c_char_p.
    sigs = {
        "sdrs_version": (c_char_p, []),
        "sdrs_error_name": (c_char_p, [c_int]),
        "sdrs_error_code": (c_int, [handle]),
        "sdrs_error_message": (c_char_p, [handle]),
        "sdrs_error_free": (None, [handle]),
        "sdrs_string_free": (None, [c_void_p]),
        "sdrs_config_new": (c_int, [out, out]),
        "sdrs_config_set_allow_http": (c_int, [handle, c_int, out]),
        "sdrs_config_set_endpoint": (c_int, [handle, c_char_p, out]),
        "sdrs_config_set_project_id": (c_int, [handle, c_char_p, out]),
        "sdrs_config_set_token": (c_int, [handle, c_char_p, out]),
        "sdrs_config_set_log_sink": (c_int, [handle, LOG_SINK, c_int32, c_void_p, out]),
        "sdrs_config_free": (None, [handle]),
        "sdrs_client_new": (c_int, [out, handle, out]),
        "sdrs_client_free": (None, [handle]),
        "sdrs_domain_list_get": (c_int, [out, handle, handle, out]),
        "sdrs_domain_list_size": (c_size_t, [handle]),
        "sdrs_domain_list_at": (handle, [handle, c_size_t]),
        "sdrs_domain_list_free": (None, [handle]),
        "sdrs_domain_id": (c_char_p, [handle]),
        "sdrs_domain_name": (c_char_p, [handle]),
        "sdrs_domain_sold_out": (c_int, [handle]),
        "sdrs_domain_local_az": (c_char_p, [handle]),
        "sdrs_domain_remote_az": (c_char_p, [handle]),
        "sdrs_pg_spec_new": (c_int, [out, out]),
        "sdrs_pg_spec_set_name": (c_int, [handle, c_char_p, out]),
        "sdrs_pg_spec_set_source_az": (c_int, [handle, c_char_p, out]),
        "sdrs_pg_spec_set_target_az": (c_int, [handle, c_char_p, out]),
        "sdrs_pg_spec_set_domain_id": (c_int, [handle, c_char_p, out]),
        "sdrs_pg_spec_set_source_vpc_id": (c_int, [handle, c_char_p, out]),
        "sdrs_pg_spec_free": (None, [handle]),
        "sdrs_pg_create": (c_int, [POINTER(c_void_p), handle, handle, handle, out]),
        "sdrs_wait_opts_new": (c_int, [out, out]),
        "sdrs_wait_opts_set_initial_interval_ms": (c_int, [handle, c_int64, out]),
        "sdrs_wait_opts_set_progress": (c_int, [handle, PROGRESS, c_void_p, out]),
        "sdrs_wait_opts_free": (None, [handle]),
        "sdrs_job_wait": (c_int, [out, handle, c_char_p, handle, out]),
        "sdrs_job_status_str": (c_char_p, [handle]),
        "sdrs_job_entity": (c_char_p, [handle, c_char_p]),
        "sdrs_job_free": (None, [handle]),
        "sdrs_pg_get": (c_int, [out, handle, c_char_p, handle, out]),
        "sdrs_pg_id": (c_char_p, [handle]),
        "sdrs_pg_name": (c_char_p, [handle]),
        "sdrs_pg_status_str": (c_char_p, [handle]),
        "sdrs_pg_source_az": (c_char_p, [handle]),
        "sdrs_pg_target_az": (c_char_p, [handle]),
        "sdrs_pg_created_at_ms": (c_int64, [handle]),
        "sdrs_pg_free": (None, [handle]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


class Client:
    """Owns an sdrs_client and everything the library may call back into while it lives."""

    def __init__(self, lib, endpoint):
        self.lib = lib
        self.log_lines = []
        # Kept on self: the library holds the sink pointer until sdrs_client_free.
        self._sink = LOG_SINK(self._log)
        cfg = c_void_p()
        self.check("sdrs_config_new", lib.sdrs_config_new, byref(cfg))
        try:
            # A plain-http endpoint such as the emulator needs allow_http.
            self.check("allow_http", lib.sdrs_config_set_allow_http, cfg, 1)
            self.check("endpoint", lib.sdrs_config_set_endpoint, cfg, endpoint.encode())
            self.check("project_id", lib.sdrs_config_set_project_id, cfg, PROJECT_ID)
            self.check("token", lib.sdrs_config_set_token, cfg, TOKEN)
            self.check("log sink", lib.sdrs_config_set_log_sink, cfg, self._sink, SDRS_LOG_INFO,
                       None)
            self.handle = c_void_p()
            self.check("sdrs_client_new", lib.sdrs_client_new, byref(self.handle), cfg)
        finally:
            lib.sdrs_config_free(cfg)  # the client keeps its own copy

    def _log(self, level, message, _userdata):
        # message is only valid during the call; c_char_p already copied it into bytes.
        self.log_lines.append((level, message.decode()))

    def check(self, what, fn, *args):
        """Calls fn(*args, &err); raises SdrsError with the error's detail on failure."""
        err = c_void_p()
        rc = fn(*args, byref(err))
        if rc != 0:
            message = self.lib.sdrs_error_message(err).decode() if err else "(no detail)"
            self.lib.sdrs_error_free(err)
            raise SdrsError(what, rc, self.lib.sdrs_error_name(rc).decode(), message)

    def close(self):
        self.lib.sdrs_client_free(self.handle)
        self.handle = None


def expect(ok, what):
    if not ok:
        raise AssertionError(what)


def main():
    if len(sys.argv) not in (2, 3):
        print("usage: ctypes_example.py <endpoint-url> [<library>]", file=sys.stderr)
        return 2
    lib = load(sys.argv[2] if len(sys.argv) == 3 else "libsdrs.so.1")
    with open("/proc/self/maps") as maps:  # which file the dynamic loader picked
        paths = {line.split()[-1] for line in maps if "libsdrs.so" in line}
    print("loaded", *sorted(paths))
    print("libsdrs", lib.sdrs_version().decode())
    client = Client(lib, sys.argv[1])
    try:
        # Pick a domain with capacity. The strings are copied before the list is freed.
        domains = c_void_p()
        client.check("domains", lib.sdrs_domain_list_get, byref(domains), client.handle, None)
        chosen = None
        for i in range(lib.sdrs_domain_list_size(domains)):
            d = lib.sdrs_domain_list_at(domains, i)
            sold_out = lib.sdrs_domain_sold_out(d)  # 1, 0, or -1 when the service omits it
            print(f"domain {lib.sdrs_domain_name(d).decode()}: sold_out {sold_out}")
            if chosen is None and sold_out == 0:
                chosen = (lib.sdrs_domain_id(d), lib.sdrs_domain_local_az(d),
                          lib.sdrs_domain_remote_az(d))
        lib.sdrs_domain_list_free(domains)
        expect(chosen is not None, "a domain that is not sold out")
        domain_id, source_az, target_az = chosen

        spec = c_void_p()
        job_id_ptr = c_void_p()  # owned char *: freed with sdrs_string_free below
        client.check("spec", lib.sdrs_pg_spec_new, byref(spec))
        try:
            client.check("name", lib.sdrs_pg_spec_set_name, spec, b"ffi-ctypes-pg")
            client.check("source_az", lib.sdrs_pg_spec_set_source_az, spec, source_az)
            client.check("target_az", lib.sdrs_pg_spec_set_target_az, spec, target_az)
            client.check("domain_id", lib.sdrs_pg_spec_set_domain_id, spec, domain_id)
            client.check("source_vpc_id", lib.sdrs_pg_spec_set_source_vpc_id, spec,
                         b"9a0e6c2f-1b4d-4e8a-b3c7-5f2d8e1a0b96")
            client.check("sdrs_pg_create", lib.sdrs_pg_create, byref(job_id_ptr), client.handle,
                         spec, None)
        finally:
            lib.sdrs_pg_spec_free(spec)
        job_id = ctypes.string_at(job_id_ptr.value)
        lib.sdrs_string_free(job_id_ptr)
        print("job", job_id.decode())

        statuses = []

        def on_progress(job, _userdata):
            statuses.append(lib.sdrs_job_status_str(job).decode())
            return 0  # nonzero stops the wait with SDRS_ECANCELED

        progress = PROGRESS(on_progress)  # referenced until the wait has returned
        wait_opts, job = c_void_p(), c_void_p()
        client.check("wait opts", lib.sdrs_wait_opts_new, byref(wait_opts))
        try:
            client.check("interval", lib.sdrs_wait_opts_set_initial_interval_ms, wait_opts, 50)
            client.check("progress", lib.sdrs_wait_opts_set_progress, wait_opts, progress, None)
            client.check("sdrs_job_wait", lib.sdrs_job_wait, byref(job), client.handle, job_id,
                         wait_opts)
            status = lib.sdrs_job_status_str(job).decode()
            group_id = lib.sdrs_job_entity(job, b"server_group_id")
        finally:
            lib.sdrs_job_free(job)  # also after a failed job (*out holds the final job)
            lib.sdrs_wait_opts_free(wait_opts)
        print("progress:", " -> ".join(statuses))
        expect(status == "SUCCESS", f"job status SUCCESS, not {status}")
        expect(group_id is not None, "the job names the group")
        expect(len(statuses) > 0, "the progress callback ran")

        pg = c_void_p()
        client.check("sdrs_pg_get", lib.sdrs_pg_get, byref(pg), client.handle, group_id, None)
        try:
            fields = {f: getattr(lib, "sdrs_pg_" + f)(pg).decode()
                      for f in ("id", "name", "status_str", "source_az", "target_az")}
            created = lib.sdrs_pg_created_at_ms(pg)
        finally:
            lib.sdrs_pg_free(pg)
        print(f"group {fields['id']}: name {fields['name']}, status {fields['status_str']}, "
              f"{fields['source_az']} -> {fields['target_az']}, created_at_ms {created}")
        expect(fields["id"] == group_id.decode(), "the group id")
        expect(fields["name"] == "ffi-ctypes-pg", "the group name")
        expect(fields["status_str"] == "available", "status available")
        expect(fields["source_az"] == source_az.decode(), "the source AZ")
        expect(created > 0, "a creation time")

        try:
            client.check("unknown group", lib.sdrs_pg_get, byref(pg), client.handle,
                         b"00000000-0000-4000-8000-000000000000", None)
            expect(False, "an unknown group fails")
        except SdrsError as e:
            print("unknown group:", e)
            expect(e.code == SDRS_ENOTFOUND, f"SDRS_ENOTFOUND, not {e.code}")
    finally:
        client.close()
    expect(len(client.log_lines) > 0, "the log sink received lines")
    print(f"log sink: {len(client.log_lines)} lines, first: {client.log_lines[0][1]}")
    print("ctypes_example: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
