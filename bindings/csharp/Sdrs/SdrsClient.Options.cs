using System;

namespace Sdrs;

// Turning SdrsClientOptions into the native config: credentials and transport settings.
public sealed partial class SdrsClient
{
    private static void ApplyAuth(ConfigHandle cfg, SdrsClientOptions o)
    {
        ErrorHandle err;
        if (o.AuthUrl is not null) Errors.Check(Native.sdrs_config_set_auth_url(cfg, o.AuthUrl, out err), err);
        if (o.Username is not null) Errors.Check(Native.sdrs_config_set_username(cfg, o.Username, out err), err);
        if (o.UserId is not null) Errors.Check(Native.sdrs_config_set_user_id(cfg, o.UserId, out err), err);
        if (o.Password is not null) Errors.Check(Native.sdrs_config_set_password(cfg, o.Password, out err), err);
        if (o.UserDomainName is not null) Errors.Check(Native.sdrs_config_set_user_domain_name(cfg, o.UserDomainName, out err), err);
        if (o.UserDomainId is not null) Errors.Check(Native.sdrs_config_set_user_domain_id(cfg, o.UserDomainId, out err), err);
        if (o.ProjectName is not null) Errors.Check(Native.sdrs_config_set_project_name(cfg, o.ProjectName, out err), err);
        if (o.Region is not null) Errors.Check(Native.sdrs_config_set_region(cfg, o.Region, out err), err);
        if (o.AccessKey is not null || o.SecretKey is not null)
        {
            Errors.Check(Native.sdrs_config_set_access_key(cfg, o.AccessKey, o.SecretKey, o.SecurityToken, out err), err);
        }

        if (o.TokenRefreshMargin is { } margin)
        {
            long secs = margin < TimeSpan.Zero ? -1 : (long)margin.TotalSeconds;
            Errors.Check(Native.sdrs_config_set_token_refresh_margin_s(cfg, secs, out err), err);
        }

        if (o.LoadEnvironment) Errors.Check(Native.sdrs_config_load_env(cfg, out err), err);
        if (o.LoadCloudsYaml) Errors.Check(Native.sdrs_config_load_clouds_yaml(cfg, o.CloudsYamlPath, o.Cloud, out err), err);
    }

    private static void ApplyTransport(ConfigHandle cfg, SdrsClientOptions options)
    {
        ErrorHandle err;
        if (options.CaDir is not null)
        {
            Errors.Check(Native.sdrs_config_set_ca_dir(cfg, options.CaDir, out err), err);
        }

        if (options.ClientCertFile is not null || options.ClientKeyFile is not null)
        {
            Errors.Check(Native.sdrs_config_set_client_cert(cfg, options.ClientCertFile, options.ClientKeyFile, options.ClientKeyPassword, out err), err);
        }

        if (options.InsecureSkipTlsVerify)
        {
            Errors.Check(Native.sdrs_config_set_insecure_skip_tls_verify(cfg, 1, out err), err);
        }

        if (options.Proxy is not null || options.NoProxy is not null)
        {
            Errors.Check(Native.sdrs_config_set_proxy(cfg, options.Proxy, options.NoProxy, out err), err);
        }

        if (options.LowSpeedBytesPerSecond is not null || options.LowSpeedTime is not null)
        {
            long seconds = options.LowSpeedTime is { } t ? (long)Math.Floor(t.TotalSeconds) : 30;
            Errors.Check(Native.sdrs_config_set_low_speed(cfg, options.LowSpeedBytesPerSecond ?? 1, seconds, out err), err);
        }

        if (options.MaxAttempts is { } attempts)
        {
            Errors.Check(Native.sdrs_config_set_max_attempts(cfg, attempts, out err), err);
        }

        if (options.HttpVersion is { } version)
        {
            Errors.Check(Native.sdrs_config_set_http_version(cfg, (int)version, out err), err);
        }
    }
}
