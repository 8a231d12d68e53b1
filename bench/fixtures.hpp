// The requests and answers the benchmarks share, so sdrs-bench-steps counts exactly what
// sdrs-bench-e2e sends and sdrs-bench-inproc decodes (run.py starts the emulator with the key
// pair below: --aksk AK:SK).
#pragma once

namespace sdrs::bench {

inline constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
// The access key pair of --auth aksk.
inline constexpr char kAccessKey[] = "BENCHACCESSKEY0000001";
inline constexpr char kSecretKey[] = "bench-secret-key-0123456789abcdefghijklmn";
// Exactly what libsdrs's encode_create sends for sdrs-bench-e2e's spec.
inline constexpr char kCreateBody[] =
    "{\"server_group\":{\"name\":\"bench-pg\",\"description\":\"benchmark group\","
    "\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\","
    "\"domain_id\":\"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11\",\"source_vpc_id\":"
    "\"3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d\",\"dr_type\":\"migration\"}}";
// What the emulator (and the spec, section 5) returns for a running create job.
inline constexpr char kJobBody[] =
    R"({"job_id":"4e6f2a91c0d84b7fa13e58d2b7c9a045","job_type":"createProtectionGroupNoCG",)"
    R"("status":"RUNNING","begin_time":"2024-03-11T09:15:02.118Z","end_time":null,)"
    R"("error_code":null,"fail_reason":null,)"
    R"("entities":{"server_group_id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3"}})";

}  // namespace sdrs::bench
