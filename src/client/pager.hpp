// Walks a protection-group listing page by page (limit/offset), for sdrs_pg_iter.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "client/client.hpp"

namespace sdrs {

class PgPager {
 public:
  // The query's limit is the page size (1000 when unset), its offset the start.
  PgPager(std::shared_ptr<Client> client, const ListQuery &query);

  // Fetches the next page into *groups. False, with nothing fetched, once the listing has
  // ended: after a short page, or when the service's total count is reached.
  bool next_page(std::vector<Group> *groups, const CallContext &ctx);

 private:
  std::shared_ptr<Client> client_;  // keeps the client alive as long as the pager
  ListQuery query_;
  int64_t page_size_;
  int64_t next_offset_;
  bool done_ = false;
};

}  // namespace sdrs
