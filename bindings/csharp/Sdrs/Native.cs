using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Sdrs;

/// <summary>
/// Raw declarations of every exported function of libsdrs (include/sdrs/*.h).
/// Borrowed pointers (getters' strings, list items, sub-jobs) are declared as <see cref="nint"/>
/// because the generated UTF-8 marshaller would free a returned string. Free functions take
/// <see cref="nint"/> as they are only called from <see cref="SdrsHandle.ReleaseHandle"/>.
/// </summary>
internal static unsafe partial class Native
{
    internal const string Lib = "sdrs";

    static Native()
    {
        // A static constructor (not a module initializer: CA2255) runs before the first call.
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
    }

    /// <summary>Makes sure the resolver is registered (forces the static constructor).</summary>
    internal static void EnsureLoaded()
    {
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Lib)
        {
            return 0;
        }

        string? overridePath = Environment.GetEnvironmentVariable("SDRS_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(overridePath))
        {
            // An explicit path must work or fail loudly, never silently fall back.
            return NativeLibrary.Load(overridePath);
        }

        string[] candidates = OperatingSystem.IsWindows()
            ? ["sdrs.dll", "libsdrs.dll"]
            : OperatingSystem.IsMacOS()
                ? ["libsdrs.1.dylib", "libsdrs.dylib"]
                : ["libsdrs.so.1", "libsdrs.so"];
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out nint handle))
            {
                return handle;
            }
        }

        // Let the runtime try its default probing (and produce its usual error).
        return 0;
    }

    // ---- common.h ----
    [LibraryImport(Lib)] internal static partial nint sdrs_strerror(int code);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_name(int code);
    [LibraryImport(Lib)] internal static partial void sdrs_string_free(nint s);

    // ---- version.h ----
    [LibraryImport(Lib)] internal static partial nint sdrs_version();
    [LibraryImport(Lib)] internal static partial int sdrs_version_number();

    // ---- error.h ----
    [LibraryImport(Lib)] internal static partial int sdrs_error_code(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_message(nint err);
    [LibraryImport(Lib)] internal static partial int sdrs_error_http_status(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_api_code(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_request_id(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_body(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_job_id(nint err);
    [LibraryImport(Lib)] internal static partial nint sdrs_error_fail_reason(nint err);
    [LibraryImport(Lib)] internal static partial int sdrs_error_retryable(nint err);
    [LibraryImport(Lib)] internal static partial int sdrs_error_attempts(nint err);
    [LibraryImport(Lib)] internal static partial void sdrs_error_free(nint err);

    // ---- cancel.h ----
    [LibraryImport(Lib)] internal static partial int sdrs_cancel_new(out CancelHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_cancel_free(nint cancel);
    [LibraryImport(Lib)] internal static partial void sdrs_cancel_trigger(CancelHandle cancel);
    [LibraryImport(Lib)] internal static partial int sdrs_cancel_is_triggered(CancelHandle cancel);
    [LibraryImport(Lib)] internal static partial void sdrs_cancel_reset(CancelHandle cancel);

    // ---- config.h ----
    [LibraryImport(Lib)] internal static partial int sdrs_config_new(out ConfigHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_config_free(nint cfg);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_endpoint(ConfigHandle cfg, string? url, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_allow_http(ConfigHandle cfg, int allow, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_project_id(ConfigHandle cfg, string? projectId, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_token(ConfigHandle cfg, string? token, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_auth_url(ConfigHandle cfg, string? url, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_username(ConfigHandle cfg, string? name, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_user_id(ConfigHandle cfg, string? userId, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_password(ConfigHandle cfg, string? password, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_user_domain_name(ConfigHandle cfg, string? name, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_user_domain_id(ConfigHandle cfg, string? domainId, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_project_name(ConfigHandle cfg, string? name, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_region(ConfigHandle cfg, string? region, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_access_key(ConfigHandle cfg, string? accessKey, string? secretKey, string? securityToken, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_token_refresh_margin_s(ConfigHandle cfg, long seconds, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_load_env(ConfigHandle cfg, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_load_clouds_yaml(ConfigHandle cfg, string? path, string? cloud, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_connect_timeout_ms(ConfigHandle cfg, long ms, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_timeout_ms(ConfigHandle cfg, long ms, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_ca_file(ConfigHandle cfg, string? path, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_ca_dir(ConfigHandle cfg, string? path, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_client_cert(ConfigHandle cfg, string? certFile, string? keyFile, string? keyPassword, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_insecure_skip_tls_verify(ConfigHandle cfg, int skip, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_proxy(ConfigHandle cfg, string? proxyUrl, string? noProxy, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_low_speed(ConfigHandle cfg, long bytesPerSecond, long seconds, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_max_attempts(ConfigHandle cfg, int attempts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_http_version(ConfigHandle cfg, int version, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_config_set_user_agent_suffix(ConfigHandle cfg, string? suffix, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_config_set_max_response_bytes(ConfigHandle cfg, long bytes, out ErrorHandle err);
    [LibraryImport(Lib)]
    internal static partial int sdrs_config_set_log_sink(ConfigHandle cfg, delegate* unmanaged[Cdecl]<int, nint, nint, void> sink, int level, nint userdata, out ErrorHandle err);

    // ---- client.h ----
    [LibraryImport(Lib)] internal static partial int sdrs_client_new(out ClientHandle handle, ConfigHandle cfg, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_client_free(nint client);
    [LibraryImport(Lib)] internal static partial int sdrs_client_token(out nint token, ClientHandle client, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_client_project_id(out nint projectId, ClientHandle client, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_call_opts_new(out CallOptsHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_call_opts_free(nint opts);
    [LibraryImport(Lib)] internal static partial int sdrs_call_opts_set_timeout_ms(CallOptsHandle opts, long ms, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_call_opts_set_cancel(CallOptsHandle opts, CancelHandle cancel, out ErrorHandle err);

    // ---- job.h ----
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_job_poll(out JobHandle handle, ClientHandle client, string? jobId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_job_free(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_id(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_type(nint job);
    [LibraryImport(Lib)] internal static partial int sdrs_job_status(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_status_str(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_begin_time(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_end_time(nint job);
    [LibraryImport(Lib)] internal static partial long sdrs_job_begin_time_ms(nint job);
    [LibraryImport(Lib)] internal static partial long sdrs_job_end_time_ms(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_error_code(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_fail_reason(nint job);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint sdrs_job_entity(nint job, string? key);
    [LibraryImport(Lib)] internal static partial nuint sdrs_job_sub_job_count(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_sub_job(nint job, nuint index);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_json(nint job);
    [LibraryImport(Lib)] internal static partial nint sdrs_job_status_name(int status);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_new(out WaitOptsHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_wait_opts_free(nint opts);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_initial_interval_ms(WaitOptsHandle opts, long ms, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_max_interval_ms(WaitOptsHandle opts, long ms, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_multiplier_pct(WaitOptsHandle opts, int pct, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_jitter_pct(WaitOptsHandle opts, int pct, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_timeout_ms(WaitOptsHandle opts, long ms, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_wait_opts_set_cancel(WaitOptsHandle opts, CancelHandle cancel, out ErrorHandle err);
    [LibraryImport(Lib)]
    internal static partial int sdrs_wait_opts_set_progress(WaitOptsHandle opts, delegate* unmanaged[Cdecl]<nint, nint, int> cb, nint userdata, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_job_wait(out JobHandle handle, ClientHandle client, string? jobId, WaitOptsHandle opts, out ErrorHandle err);

    // ---- pg.h: spec ----
    [LibraryImport(Lib)] internal static partial int sdrs_pg_spec_new(out PgSpecHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_pg_spec_free(nint spec);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_name(PgSpecHandle spec, string? name, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_description(PgSpecHandle spec, string? description, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_source_az(PgSpecHandle spec, string? az, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_target_az(PgSpecHandle spec, string? az, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_domain_id(PgSpecHandle spec, string? domainId, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_source_vpc_id(PgSpecHandle spec, string? vpcId, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_dr_type(PgSpecHandle spec, string? drType, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_spec_set_server_type(PgSpecHandle spec, string? serverType, out ErrorHandle err);
    [LibraryImport(Lib)]
    internal static partial int sdrs_pg_create(out nint jobId, ClientHandle client, PgSpecHandle spec, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)]
    internal static partial int sdrs_pg_create_and_wait(out PgHandle handle, ClientHandle client, PgSpecHandle spec, WaitOptsHandle waitOpts, out ErrorHandle err);

    // ---- pg.h: the group object ----
    [LibraryImport(Lib)] internal static partial void sdrs_pg_free(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_id(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_name(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_description(nint pg);
    [LibraryImport(Lib)] internal static partial int sdrs_pg_status(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_status_str(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_source_az(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_target_az(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_domain_id(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_domain_name(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_priority_station(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_protected_status(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_replication_status(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_health_status(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_source_vpc_id(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_target_vpc_id(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_test_vpc_id(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_dr_type(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_server_type(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_protection_type(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_replication_model(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_created_at(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_updated_at(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_created_at_ms(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_updated_at_ms(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_progress(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_protected_instance_num(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_replication_num(nint pg);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_disaster_recovery_drill_num(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_json(nint pg);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_status_name(int status);

    // ---- pg.h: calls on one group ----
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_get(out PgHandle handle, ClientHandle client, string? groupId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_rename(out PgHandle handle, ClientHandle client, string? groupId, string? newName, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_delete(out nint jobId, ClientHandle client, string? groupId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_enable(out nint jobId, ClientHandle client, string? groupId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_disable(out nint jobId, ClientHandle client, string? groupId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_failover(out nint jobId, ClientHandle client, string? groupId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_planned_failover(out nint jobId, ClientHandle client, string? groupId, string? priorityStation, CallOptsHandle opts, out ErrorHandle err);

    // ---- pg.h: listing ----
    [LibraryImport(Lib)] internal static partial int sdrs_pg_list_opts_new(out PgListOptsHandle handle, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_pg_list_opts_free(nint opts);
    [LibraryImport(Lib)] internal static partial int sdrs_pg_list_opts_set_limit(PgListOptsHandle opts, long limit, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial int sdrs_pg_list_opts_set_offset(PgListOptsHandle opts, long offset, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_list_opts_set_status(PgListOptsHandle opts, string? status, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_list_opts_set_name(PgListOptsHandle opts, string? name, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_list_opts_set_query_type(PgListOptsHandle opts, string? queryType, out ErrorHandle err);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_pg_list_opts_set_availability_zone(PgListOptsHandle opts, string? az, out ErrorHandle err);
    [LibraryImport(Lib)]
    internal static partial int sdrs_pg_list_get(out PgListHandle handle, ClientHandle client, PgListOptsHandle opts, CallOptsHandle callOpts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_pg_list_free(nint list);
    [LibraryImport(Lib)] internal static partial nuint sdrs_pg_list_size(nint list);
    [LibraryImport(Lib)] internal static partial nint sdrs_pg_list_at(nint list, nuint index);
    [LibraryImport(Lib)] internal static partial long sdrs_pg_list_count(nint list);
    [LibraryImport(Lib)]
    internal static partial int sdrs_pg_iter_new(out PgIterHandle handle, ClientHandle client, PgListOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_pg_iter_free(nint iter);
    [LibraryImport(Lib)]
    internal static partial int sdrs_pg_iter_next(out nint pg, PgIterHandle iter, CallOptsHandle callOpts, out ErrorHandle err);

    // ---- domain.h ----
    [LibraryImport(Lib)]
    internal static partial int sdrs_domain_list_get(out DomainListHandle handle, ClientHandle client, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_domain_list_free(nint list);
    [LibraryImport(Lib)] internal static partial nuint sdrs_domain_list_size(nint list);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_list_at(nint list, nuint index);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_list_json(nint list);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_id(nint domain);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_name(nint domain);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_description(nint domain);
    [LibraryImport(Lib)] internal static partial int sdrs_domain_sold_out(nint domain);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_local_az(nint domain);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_remote_az(nint domain);
    [LibraryImport(Lib)] internal static partial nint sdrs_domain_json(nint domain);

    // ---- apiversion.h ----
    [LibraryImport(Lib)]
    internal static partial int sdrs_apiversion_list_get(out ApiVersionListHandle handle, ClientHandle client, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_apiversion_list_free(nint list);
    [LibraryImport(Lib)] internal static partial nuint sdrs_apiversion_list_size(nint list);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_list_at(nint list, nuint index);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sdrs_apiversion_get(out ApiVersionHandle handle, ClientHandle client, string? versionId, CallOptsHandle opts, out ErrorHandle err);
    [LibraryImport(Lib)] internal static partial void sdrs_apiversion_free(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_id(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_status(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_version(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_min_version(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_updated(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_self_link(nint version);
    [LibraryImport(Lib)] internal static partial nint sdrs_apiversion_json(nint version);

    /// <summary>Copies a borrowed NUL-terminated UTF-8 string; null for a NULL pointer.</summary>
    internal static string? Str(nint p) => p == 0 ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>Copies and frees a string the library handed over through an out-parameter.</summary>
    internal static string? TakeString(nint p)
    {
        if (p == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            sdrs_string_free(p);
        }
    }
}
