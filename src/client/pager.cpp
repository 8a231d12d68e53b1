#include "client/pager.hpp"

#include <utility>

namespace sdrs {

PgPager::PgPager(std::shared_ptr<Client> client, const ListQuery &query)
    : client_(std::move(client)),
      query_(query),
      page_size_(query.limit.value_or(1000)),
      next_offset_(query.offset.value_or(0)) {
  query_.limit = page_size_;
}

bool PgPager::next_page(std::vector<Group> *groups, const CallContext &ctx) {
  if (done_) return false;
  query_.offset = next_offset_;
  GroupList list = client_->list_pg(query_, ctx);
  const auto size = static_cast<int64_t>(list.groups.size());
  next_offset_ += size;
  // A short page ends the listing; so does reaching the service's total count.
  done_ = size < page_size_ || (list.count >= 0 && next_offset_ >= list.count);
  *groups = std::move(list.groups);
  return true;
}

}  // namespace sdrs
