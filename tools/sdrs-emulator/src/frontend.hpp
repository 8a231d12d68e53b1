// The HTTP glue between cpp-httplib and the emulator: converts requests and responses, applies
// fault rules around the emulator's answer, serves the fault administration and logs one line
// per request.
#ifndef SDRS_EMULATOR_FRONTEND_HPP
#define SDRS_EMULATOR_FRONTEND_HPP

#include <httplib.h>

#include <chrono>

#include "emulator.hpp"
#include "faults.hpp"

namespace emu {

class Frontend {
 public:
  Frontend(Emulator &emulator, Faults &faults, bool quiet)
      : emulator_(emulator), faults_(faults), quiet_(quiet) {}

  // The port the server listens on; needed to find a connection's socket for close faults.
  void set_bound_port(int port) { bound_port_ = port; }
  // The handler for every method and path.
  void serve(const httplib::Request &r, httplib::Response &res);

 private:
  using Clock = std::chrono::steady_clock;

  void serve_fault_admin(const httplib::Request &r, httplib::Response &res, bool loopback);
  // Faults answered without processing; true when the answer is complete.
  bool answer_instead(const FaultRule &fault, const httplib::Request &r, httplib::Response &res,
                      Clock::time_point t0);
  // Faults applied to the emulator's answer after processing.
  void answer_after(const FaultRule &fault, const httplib::Request &r, Response out,
                    httplib::Response &res, Clock::time_point t0);
  void log(const httplib::Request &r, int status, const char *note, Clock::time_point t0) const;

  Emulator &emulator_;
  Faults &faults_;
  bool quiet_;
  int bound_port_ = 0;
};

}  // namespace emu

#endif  // SDRS_EMULATOR_FRONTEND_HPP
