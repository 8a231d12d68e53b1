using System;
using System.Threading;

namespace Sdrs;

/// <summary>The stable result codes of libsdrs (enum sdrs_result).</summary>
public enum SdrsErrorCode
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>A bad argument (NULL handle, NULL required string...).</summary>
    InvalidArgument = -1,
    /// <summary>Input rejected before sending; the message names the field.</summary>
    Validation = -2,
    /// <summary>Not authenticated (HTTP 401, SDRS token errors).</summary>
    Auth = -3,
    /// <summary>Authenticated but not allowed (HTTP 403, SDRS role errors).</summary>
    Forbidden = -4,
    /// <summary>The resource does not exist.</summary>
    NotFound = -5,
    /// <summary>The resource is in the wrong state for this call.</summary>
    Conflict = -6,
    /// <summary>Too many requests (HTTP 429).</summary>
    RateLimit = -7,
    /// <summary>The service failed (HTTP 5xx, SDRS internal errors).</summary>
    Server = -8,
    /// <summary>A timeout or the per-call deadline expired.</summary>
    Timeout = -9,
    /// <summary>Canceled through a cancel token or a callback.</summary>
    Canceled = -10,
    /// <summary>Network failure: connect, DNS, reset...</summary>
    Transport = -11,
    /// <summary>TLS handshake or certificate verification failed.</summary>
    Tls = -12,
    /// <summary>The response could not be understood.</summary>
    Protocol = -13,
    /// <summary>An asynchronous job ended in FAIL.</summary>
    JobFailed = -14,
    /// <summary>Out of memory.</summary>
    OutOfMemory = -15,
    /// <summary>A bug in libsdrs; the message has the detail.</summary>
    Internal = -16,
    /// <summary>The service rejected the request parameters (HTTP 400).</summary>
    Request = -17,
    /// <summary>A quota is exhausted.</summary>
    Quota = -18,
}

/// <summary>
/// A failed libsdrs call. Subclasses name the kind of failure; codes the binding has no subclass
/// for (protocol, internal, out of memory, unknown future codes) surface as this type.
/// </summary>
public class SdrsException : Exception
{
    /// <summary>Creates an exception from the detail of a failed call.</summary>
    /// <param name="detail">What the library reported.</param>
    public SdrsException(SdrsErrorDetail detail)
        : base(FormatMessage(detail))
    {
        ArgumentNullException.ThrowIfNull(detail);
        Detail = detail;
    }

    /// <summary>Everything the library reported about the failure.</summary>
    public SdrsErrorDetail Detail { get; }

    /// <summary>The SDRS_E* code (negative), as an enum; unknown codes keep their number.</summary>
    public SdrsErrorCode Code => (SdrsErrorCode)Detail.Code;

    /// <summary>HTTP status of the response that caused the error, 0 when there was none.</summary>
    public int HttpStatus => Detail.HttpStatus;

    /// <summary>The service's error code such as "SDRS.1013" (a failed job's error_code), or null.</summary>
    public string? ApiCode => Detail.ApiCode;

    /// <summary>Request id from the response headers, or null.</summary>
    public string? RequestId => Detail.RequestId;

    /// <summary>Raw response body (a failed job's JSON), or null.</summary>
    public string? ResponseBody => Detail.Body;

    /// <summary>
    /// True when repeating the same call later may succeed: the failure was transient and the
    /// library itself retried it until its attempt budget or deadline ran out. Never true when
    /// <see cref="OutcomeUnknown"/> is.
    /// </summary>
    public bool Retryable => Detail.Retryable;

    /// <summary>
    /// True when a non-idempotent request (a create or an action) was sent but no answer says
    /// whether the service acted on it (connection closed or reset after sending, truncated
    /// answer, timeout after sending, 502/504...). Do not repeat the request: it could create a
    /// second resource. Find out first; for a group create,
    /// <see cref="SdrsClient.FindCreatedProtectionGroupAsync"/> with <see cref="SentAt"/> returns
    /// the group it made or throws <see cref="SdrsNotFoundException"/>.
    /// </summary>
    public bool OutcomeUnknown => Detail.OutcomeUnknown;

    /// <summary>When <see cref="OutcomeUnknown"/>: when the request was sent (local clock); otherwise null.</summary>
    public DateTimeOffset? SentAt => Detail.SentAt;

    /// <summary>Number of HTTP attempts the failed call made (0 when it failed before sending).</summary>
    public int Attempts => Detail.Attempts;

    private static string FormatMessage(SdrsErrorDetail detail)
    {
        if (detail is null)
        {
            return "libsdrs error";
        }

        string msg = string.IsNullOrEmpty(detail.Message) ? SdrsLibrary.StrError(detail.Code) : detail.Message;
        return $"{SdrsLibrary.ErrorName(detail.Code)}: {msg}";
    }
}

/// <summary>
/// The fields of an sdrs_error, copied out of the native handle.
/// </summary>
/// <param name="Code">The SDRS_E* code.</param>
/// <param name="Message">Human-readable message.</param>
/// <param name="HttpStatus">HTTP status, 0 when none.</param>
/// <param name="ApiCode">Service error code, or null.</param>
/// <param name="RequestId">Request id, or null.</param>
/// <param name="Body">Raw response body, or null.</param>
/// <param name="JobId">For a failed job: its id.</param>
/// <param name="FailReason">For a failed job: its fail_reason.</param>
/// <param name="Retryable">Whether a retry may succeed.</param>
/// <param name="Attempts">Number of HTTP attempts.</param>
public sealed record SdrsErrorDetail(
    int Code,
    string Message,
    int HttpStatus,
    string? ApiCode,
    string? RequestId,
    string? Body,
    string? JobId,
    string? FailReason,
    bool Retryable,
    int Attempts)
{
    /// <summary>The service may have acted on the request, no answer says whether it did (see <see cref="SdrsException.OutcomeUnknown"/>).</summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>When <see cref="OutcomeUnknown"/>: when the request was sent; otherwise null.</summary>
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>The input was rejected: by the library before sending (validation, bad argument) or by the service (HTTP 400).</summary>
public class SdrsValidationException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsValidationException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>Not authenticated (HTTP 401, SDRS token errors).</summary>
public class SdrsAuthException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsAuthException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>Authenticated but not allowed (HTTP 403).</summary>
public class SdrsForbiddenException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsForbiddenException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>The resource does not exist (HTTP 404, SDRS.1013...).</summary>
public class SdrsNotFoundException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsNotFoundException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>The resource is in the wrong state for this call (HTTP 409, SDRS.10xx).</summary>
public class SdrsConflictException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsConflictException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>A quota is exhausted (SDRS.0305, SDRS.0306).</summary>
public class SdrsQuotaException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsQuotaException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>Too many requests (HTTP 429).</summary>
public class SdrsRateLimitException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsRateLimitException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>The service failed (HTTP 5xx).</summary>
public class SdrsServerException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsServerException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>A timeout, or the deadline of the call or the wait expired.</summary>
public class SdrsTimeoutException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsTimeoutException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>Network failure (connect, DNS, reset) or, for <see cref="SdrsErrorCode.Tls"/>, a TLS failure.</summary>
public class SdrsTransportException : SdrsException
{
    /// <inheritdoc cref="SdrsException(SdrsErrorDetail)"/>
    public SdrsTransportException(SdrsErrorDetail detail) : base(detail) { }
}

/// <summary>An asynchronous job ended in FAIL.</summary>
public class SdrsJobFailedException : SdrsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="detail">What the library reported.</param>
    /// <param name="job">The final state of the job, when the library returned it.</param>
    public SdrsJobFailedException(SdrsErrorDetail detail, Job? job)
        : base(detail)
    {
        Job = job;
    }

    /// <summary>The id of the failed job.</summary>
    public string? JobId => Detail.JobId ?? Job?.Id;

    /// <summary>The job's fail_reason.</summary>
    public string? FailReason => Detail.FailReason ?? Job?.FailReason;

    /// <summary>The final job, or null when the library did not return it.</summary>
    public Job? Job { get; }
}

/// <summary>Turns native results into exceptions.</summary>
internal static class Errors
{
    /// <summary>Copies the fields of a native error; a missing handle gets the static description.</summary>
    internal static SdrsErrorDetail Read(int rc, ErrorHandle? err)
    {
        if (err is null || err.IsInvalid)
        {
            return new SdrsErrorDetail(rc, SdrsLibrary.StrError(rc), 0, null, null, null, null, null, false, 0);
        }

        using var lease = new HandleLease(err);
        nint p = lease.Pointer;
        int code = Native.sdrs_error_code(p);
        return new SdrsErrorDetail(
            code != 0 ? code : rc,
            Native.Str(Native.sdrs_error_message(p)) ?? SdrsLibrary.StrError(rc),
            Native.sdrs_error_http_status(p),
            Native.Str(Native.sdrs_error_api_code(p)),
            Native.Str(Native.sdrs_error_request_id(p)),
            Native.Str(Native.sdrs_error_body(p)),
            Native.Str(Native.sdrs_error_job_id(p)),
            Native.Str(Native.sdrs_error_fail_reason(p)),
            Native.sdrs_error_retryable(p) != 0,
            Native.sdrs_error_attempts(p))
        {
            OutcomeUnknown = Native.sdrs_error_outcome_unknown(p) != 0,
            SentAt = Conv.Time(Native.sdrs_error_sent_at_ms(p)),
        };
    }

    /// <summary>Builds the exception for a failed call (consumes and frees err).</summary>
    internal static Exception Create(int rc, ErrorHandle? err, CancellationToken token, Job? job = null)
    {
        SdrsErrorDetail detail;
        using (err)
        {
            detail = Read(rc, err);
        }

        return Create(detail, token, job);
    }

    internal static Exception Create(SdrsErrorDetail detail, CancellationToken token, Job? job = null)
    {
        switch ((SdrsErrorCode)detail.Code)
        {
            case SdrsErrorCode.Canceled:
                // Canceled by our token, or by a callback/token we do not own: both mean "stopped".
                return token.IsCancellationRequested
                    ? new OperationCanceledException(detail.Message, token)
                    : new OperationCanceledException(detail.Message);
            case SdrsErrorCode.InvalidArgument:
            case SdrsErrorCode.Validation:
            case SdrsErrorCode.Request:
                return new SdrsValidationException(detail);
            case SdrsErrorCode.Auth:
                return new SdrsAuthException(detail);
            case SdrsErrorCode.Forbidden:
                return new SdrsForbiddenException(detail);
            case SdrsErrorCode.NotFound:
                return new SdrsNotFoundException(detail);
            case SdrsErrorCode.Conflict:
                return new SdrsConflictException(detail);
            case SdrsErrorCode.Quota:
                return new SdrsQuotaException(detail);
            case SdrsErrorCode.RateLimit:
                return new SdrsRateLimitException(detail);
            case SdrsErrorCode.Server:
                return new SdrsServerException(detail);
            case SdrsErrorCode.Timeout:
                return new SdrsTimeoutException(detail);
            case SdrsErrorCode.Transport:
            case SdrsErrorCode.Tls:
                return new SdrsTransportException(detail);
            case SdrsErrorCode.JobFailed:
                return new SdrsJobFailedException(detail, job);
            default:
                return new SdrsException(detail);
        }
    }

    /// <summary>Throws when rc is a failure; otherwise disposes the (unused) error handle.</summary>
    internal static void Check(int rc, ErrorHandle err, CancellationToken token = default)
    {
        if (rc != 0)
        {
            throw Create(rc, err, token);
        }

        err.Dispose();
    }
}
